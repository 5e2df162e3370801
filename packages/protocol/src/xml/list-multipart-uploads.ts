/** List Multipart Uploads' answer (§4.9). */
import { xmlBoolean, xmlDocument, xmlInteger, xmlOwner, xmlParent, xmlText } from './build.js';
import {
  childrenNamed,
  ENCODING_TYPE_NAMES,
  readBoolean,
  readCommonPrefixes,
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
import type { ListMultipartUploadsResult } from './types.js';

/**
 * Server side: the `ListMultipartUploadsResult` body in the order of the current COS doc (with
 * `Encoding-Type`, `UploadId`, `CommonPrefixes`). With `encodingType` `url`, `KeyMarker`,
 * `UploadIdMarker`, `NextKeyMarker`, `NextUploadIdMarker`, `Prefix`, `Delimiter`, `Upload.Key` and
 * `CommonPrefixes.Prefix` are percent-encoded (the Python SDK's decode list plus `Delimiter`).
 *
 * @param model - The listing; its `EncodingType` is ignored.
 * @param encodingType - The validated `encoding-type` query value, if any.
 * @throws {@link XmlUnrepresentableError} if, without `url`, a key holds characters XML 1.0 cannot carry.
 */
export function buildListMultipartUploadsResult(
  model: ListMultipartUploadsResult,
  encodingType?: ListEncodingType,
): string {
  const encoded = listingTextWriter(encodingType);
  return xmlDocument(
    xmlParent('ListMultipartUploadsResult', [
      xmlText('Bucket', model.Bucket),
      xmlText('Encoding-Type', encodingTypeText(encodingType)),
      encoded('KeyMarker', model.KeyMarker),
      encoded('UploadIdMarker', model.UploadIdMarker),
      encoded('NextKeyMarker', model.NextKeyMarker),
      encoded('NextUploadIdMarker', model.NextUploadIdMarker),
      xmlInteger('MaxUploads', model.MaxUploads),
      xmlBoolean('IsTruncated', model.IsTruncated),
      encoded('Prefix', model.Prefix),
      encoded('Delimiter', model.Delimiter),
      ...model.Upload.map((upload, i) =>
        xmlParent('Upload', [
          encoded('Key', upload.Key, `Upload[${i}].Key`),
          xmlText('UploadId', upload.UploadId, `Upload[${i}].UploadId`),
          xmlText('StorageClass', upload.StorageClass, `Upload[${i}].StorageClass`),
          xmlOwner('Initiator', upload.Initiator, `Upload[${i}].Initiator`),
          xmlOwner('Owner', upload.Owner, `Upload[${i}].Owner`),
          xmlText('Initiated', upload.Initiated, `Upload[${i}].Initiated`),
        ]),
      ),
      ...model.CommonPrefixes.map((entry, i) =>
        xmlParent('CommonPrefixes', [encoded('Prefix', entry.Prefix, `CommonPrefixes[${i}].Prefix`)]),
      ),
    ]),
  );
}

/**
 * Client side: reads the body, accepting `UploadID`, `CommonPrefixs` and every spelling of
 * `Encoding-Type`; the fields listed at the builder are decoded when the body says `url`.
 *
 * @throws {@link XmlCodecError} if the root is not `ListMultipartUploadsResult` or a number is not an integer.
 */
export function parseListMultipartUploadsResult(xml: string | Uint8Array): ListMultipartUploadsResult {
  const root = parseXmlRoot(xml, 'ListMultipartUploadsResult');
  const encodingType = readOptionalString(root, ...ENCODING_TYPE_NAMES);
  const decode = listingDecoder(encodingType);
  return {
    Bucket: readString(root, 'Bucket'),
    ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    KeyMarker: decode(readString(root, 'KeyMarker')),
    UploadIdMarker: decode(readString(root, 'UploadIdMarker')),
    NextKeyMarker: decode(readString(root, 'NextKeyMarker')),
    NextUploadIdMarker: decode(readString(root, 'NextUploadIdMarker')),
    MaxUploads: readInteger(root, 'MaxUploads'),
    IsTruncated: readBoolean(root, 'IsTruncated'),
    Prefix: decode(readString(root, 'Prefix')),
    Delimiter: decode(readString(root, 'Delimiter')),
    Upload: childrenNamed(root, ['Upload']).map((upload) => ({
      Key: decode(readString(upload, 'Key')),
      UploadId: readString(upload, ...UPLOAD_ID_NAMES),
      StorageClass: readString(upload, 'StorageClass'),
      Initiator: readOwner(upload, 'Initiator'),
      Owner: readOwner(upload, 'Owner'),
      Initiated: readString(upload, 'Initiated'),
    })),
    CommonPrefixes: readCommonPrefixes(root, decode),
  };
}
