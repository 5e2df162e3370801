/** List Parts' answer (§4.6). */
import { xmlBoolean, xmlDocument, xmlInteger, xmlOwner, xmlParent, xmlText } from './build.js';
import { readChecksums, xmlChecksums } from './checksums.js';
import { quoteETag } from './etag.js';
import {
  childrenNamed,
  ENCODING_TYPE_NAMES,
  readBoolean,
  readETag,
  readInteger,
  readOptionalString,
  readOwner,
  readString,
  UPLOAD_ID_NAMES,
} from './fields.js';
import {
  encodingTypeText,
  type ListEncodingType,
  listingDecoder,
  listingTextWriter,
} from './listing-encoding.js';
import { parseXmlRoot } from './parse.js';
import type { ListPartsResult } from './types.js';

/**
 * Server side: the `ListPartsResult` body, elements in the order of the COS doc sample (including
 * the odd `Encoding-type`). With `encodingType` `url` the `Key` is percent-encoded.
 *
 * @param model - The listing; its `EncodingType` is ignored.
 * @param encodingType - The validated `encoding-type` query value, if any.
 * @throws {@link XmlUnrepresentableError} if, without `url`, the key holds characters XML 1.0 cannot carry.
 */
export function buildListPartsResult(model: ListPartsResult, encodingType?: ListEncodingType): string {
  const encoded = listingTextWriter(encodingType);
  return xmlDocument(
    xmlParent('ListPartsResult', [
      xmlText('Bucket', model.Bucket),
      xmlText('Encoding-type', encodingTypeText(encodingType)),
      encoded('Key', model.Key),
      xmlText('UploadId', model.UploadId),
      xmlOwner('Initiator', model.Initiator),
      xmlOwner('Owner', model.Owner),
      xmlInteger('PartNumberMarker', model.PartNumberMarker),
      ...model.Part.map((part, i) =>
        xmlParent('Part', [
          xmlInteger('PartNumber', part.PartNumber),
          xmlText('LastModified', part.LastModified, `Part[${i}].LastModified`),
          xmlText('ETag', quoteETag(part.ETag), `Part[${i}].ETag`),
          xmlInteger('Size', part.Size),
          ...xmlChecksums(part.Checksums),
        ]),
      ),
      xmlInteger('NextPartNumberMarker', model.NextPartNumberMarker),
      xmlText('StorageClass', model.StorageClass),
      xmlInteger('MaxParts', model.MaxParts),
      xmlBoolean('IsTruncated', model.IsTruncated),
      ...(model.ChecksumAlgorithm === undefined
        ? []
        : [xmlText('ChecksumAlgorithm', model.ChecksumAlgorithm)]),
      ...(model.ChecksumType === undefined ? [] : [xmlText('ChecksumType', model.ChecksumType)]),
    ]),
  );
}

/**
 * Client side: reads the body; `Key` is decoded when the body says `url`.
 *
 * @throws {@link XmlCodecError} if the root is not `ListPartsResult` or a number is not an integer.
 */
export function parseListPartsResult(xml: string | Uint8Array): ListPartsResult {
  const root = parseXmlRoot(xml, 'ListPartsResult');
  const encodingType = readOptionalString(root, ...ENCODING_TYPE_NAMES);
  const decode = listingDecoder(encodingType);
  return {
    Bucket: readString(root, 'Bucket'),
    ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    Key: decode(readString(root, 'Key')),
    UploadId: readString(root, ...UPLOAD_ID_NAMES),
    Initiator: readOwner(root, 'Initiator'),
    Owner: readOwner(root, 'Owner'),
    PartNumberMarker: readInteger(root, 'PartNumberMarker'),
    Part: childrenNamed(root, ['Part']).map((part) => {
      const checksums = readChecksums(part);
      return {
        PartNumber: readInteger(part, 'PartNumber'),
        LastModified: readString(part, 'LastModified'),
        ETag: readETag(part),
        Size: readInteger(part, 'Size'),
        ...(checksums ? { Checksums: checksums } : {}),
      };
    }),
    NextPartNumberMarker: readInteger(root, 'NextPartNumberMarker'),
    StorageClass: readString(root, 'StorageClass'),
    MaxParts: readInteger(root, 'MaxParts'),
    IsTruncated: readBoolean(root, 'IsTruncated'),
  };
}
