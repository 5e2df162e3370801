/** GET Bucket (List Objects)' answer (§4.15). */
import { xmlBoolean, xmlDocument, xmlInteger, xmlOwner, xmlParent, xmlText } from './build.js';
import { quoteETag } from './etag.js';
import {
  childrenNamed,
  ENCODING_TYPE_NAMES,
  readBoolean,
  readCommonPrefixes,
  readETag,
  readInteger,
  readOptionalString,
  readOwner,
  readString,
} from './fields.js';
import {
  encodingTypeText,
  type ListEncodingType,
  listingDecoder,
  listingTextWriter,
} from './listing-encoding.js';
import { parseXmlRoot } from './parse.js';
import type { ListBucketResult } from './types.js';

/**
 * Server side: the `ListBucketResult` body in the order of the COS doc. `NextMarker` is written
 * only when `IsTruncated` is true and the model has one. With `encodingType` `url`, `Prefix`,
 * `Marker`, `Delimiter`, `NextMarker`, `CommonPrefixes.Prefix` and `Contents.Key` are percent-encoded.
 *
 * @param model - The listing; its `EncodingType` is ignored.
 * @param encodingType - The validated `encoding-type` query value, if any.
 * @throws {@link XmlUnrepresentableError} if, without `url`, a key holds characters XML 1.0 cannot carry.
 */
export function buildListBucketResult(model: ListBucketResult, encodingType?: ListEncodingType): string {
  const encoded = listingTextWriter(encodingType);
  const nextMarker = model.IsTruncated ? model.NextMarker : undefined;
  return xmlDocument(
    xmlParent('ListBucketResult', [
      xmlText('Name', model.Name),
      xmlText('EncodingType', encodingTypeText(encodingType)),
      encoded('Prefix', model.Prefix),
      encoded('Marker', model.Marker),
      xmlInteger('MaxKeys', model.MaxKeys),
      encoded('Delimiter', model.Delimiter),
      xmlBoolean('IsTruncated', model.IsTruncated),
      ...(nextMarker === undefined ? [] : [encoded('NextMarker', nextMarker)]),
      ...model.CommonPrefixes.map((entry, i) =>
        xmlParent('CommonPrefixes', [encoded('Prefix', entry.Prefix, `CommonPrefixes[${i}].Prefix`)]),
      ),
      ...model.Contents.map((object, i) =>
        xmlParent('Contents', [
          encoded('Key', object.Key, `Contents[${i}].Key`),
          xmlText('LastModified', object.LastModified, `Contents[${i}].LastModified`),
          xmlText('ETag', quoteETag(object.ETag), `Contents[${i}].ETag`),
          xmlInteger('Size', object.Size),
          xmlOwner('Owner', object.Owner, `Contents[${i}].Owner`),
          xmlText('StorageClass', object.StorageClass, `Contents[${i}].StorageClass`),
        ]),
      ),
    ]),
  );
}

/**
 * Client side: reads the body (also `CommonPrefixs`, any spelling of `EncodingType`); the fields
 * listed at the builder are decoded when the body says `url`. `NextMarker` is left out when absent
 * or empty.
 *
 * @throws {@link XmlCodecError} if the root is not `ListBucketResult` or a number is not an integer.
 */
export function parseListBucketResult(xml: string | Uint8Array): ListBucketResult {
  const root = parseXmlRoot(xml, 'ListBucketResult');
  const encodingType = readOptionalString(root, ...ENCODING_TYPE_NAMES);
  const decode = listingDecoder(encodingType);
  const nextMarker = readOptionalString(root, 'NextMarker');
  return {
    Name: readString(root, 'Name'),
    ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    Prefix: decode(readString(root, 'Prefix')),
    Marker: decode(readString(root, 'Marker')),
    MaxKeys: readInteger(root, 'MaxKeys'),
    Delimiter: decode(readString(root, 'Delimiter')),
    IsTruncated: readBoolean(root, 'IsTruncated'),
    ...(nextMarker === undefined ? {} : { NextMarker: decode(nextMarker) }),
    CommonPrefixes: readCommonPrefixes(root, decode),
    Contents: childrenNamed(root, ['Contents']).map((object) => ({
      Key: decode(readString(object, 'Key')),
      LastModified: readString(object, 'LastModified'),
      ETag: readETag(object),
      Size: readInteger(object, 'Size'),
      Owner: readOwner(object, 'Owner'),
      StorageClass: readString(object, 'StorageClass'),
    })),
  };
}
