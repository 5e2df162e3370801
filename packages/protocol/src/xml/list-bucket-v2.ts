/**
 * ListObjectsV2's answer (S3 `GET /?list-type=2`): `ListBucketResult` with `KeyCount`, continuation
 * tokens and `StartAfter` in place of markers. S3's element names; the S3 dialect's listing.
 */
import { xmlBoolean, xmlDocument, xmlInteger, xmlOwner, xmlParent, xmlText } from './build.js';
import { quoteETag } from './etag.js';
import { type ListEncodingType, listingTextWriter } from './listing-encoding.js';
import type { CommonPrefix, CosOwner } from './types.js';

/** One object of a V2 page; `Owner` only when the request asked `fetch-owner=true`. */
export interface ListedObjectV2 {
  Key: string;
  LastModified: string;
  ETag: string;
  Size: number;
  Owner?: CosOwner;
  StorageClass: string;
}

/** The V2 page as the server answers it. */
export interface ListBucketResultV2 {
  Name: string;
  Prefix: string;
  Delimiter: string;
  MaxKeys: number;
  /** Objects plus common prefixes on this page. */
  KeyCount: number;
  IsTruncated: boolean;
  /** The request's `continuation-token`, echoed when given. */
  ContinuationToken?: string;
  /** Present when truncated: pass it as `continuation-token` for the next page. */
  NextContinuationToken?: string;
  /** The request's `start-after`, echoed when given. */
  StartAfter?: string;
  CommonPrefixes: CommonPrefix[];
  Contents: ListedObjectV2[];
}

/**
 * Server side: the V2 body. With `encodingType` `url`, `Prefix`, `Delimiter`, `StartAfter`,
 * `CommonPrefixes.Prefix` and `Contents.Key` are percent-encoded (tokens are opaque and never are).
 * @throws {@link XmlUnrepresentableError} if, without `url`, a key holds characters XML 1.0 cannot carry.
 */
export function buildListBucketResultV2(model: ListBucketResultV2, encodingType?: ListEncodingType): string {
  const encoded = listingTextWriter(encodingType);
  return xmlDocument(
    xmlParent('ListBucketResult', [
      xmlText('Name', model.Name),
      encoded('Prefix', model.Prefix),
      ...(model.ContinuationToken === undefined
        ? []
        : [xmlText('ContinuationToken', model.ContinuationToken)]),
      ...(model.StartAfter === undefined ? [] : [encoded('StartAfter', model.StartAfter)]),
      xmlInteger('KeyCount', model.KeyCount),
      xmlInteger('MaxKeys', model.MaxKeys),
      encoded('Delimiter', model.Delimiter),
      ...(encodingType === undefined ? [] : [xmlText('EncodingType', encodingType)]),
      xmlBoolean('IsTruncated', model.IsTruncated),
      ...(model.IsTruncated && model.NextContinuationToken !== undefined
        ? [xmlText('NextContinuationToken', model.NextContinuationToken)]
        : []),
      ...model.Contents.map((object, i) =>
        xmlParent('Contents', [
          encoded('Key', object.Key, `Contents[${i}].Key`),
          xmlText('LastModified', object.LastModified, `Contents[${i}].LastModified`),
          xmlText('ETag', quoteETag(object.ETag), `Contents[${i}].ETag`),
          xmlInteger('Size', object.Size),
          ...(object.Owner === undefined ? [] : [xmlOwner('Owner', object.Owner, `Contents[${i}].Owner`)]),
          xmlText('StorageClass', object.StorageClass, `Contents[${i}].StorageClass`),
        ]),
      ),
      ...model.CommonPrefixes.map((entry, i) =>
        xmlParent('CommonPrefixes', [encoded('Prefix', entry.Prefix, `CommonPrefixes[${i}].Prefix`)]),
      ),
    ]),
  );
}
