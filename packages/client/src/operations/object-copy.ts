/** PUT Object - Copy: a server-side copy of an object of up to 5 GB (doc 10881). */
import { type CopyObjectResult, METADATA_DIRECTIVES, parseCopyObjectResult } from '@coskit/protocol';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import {
  type CopySource,
  checkMetadata,
  checkTaggingParam,
  copySourceHeader,
  requireBucket,
  requireKey,
} from '../validation.js';
import { parseOrThrow } from './bucket.js';
import {
  type CallOptions,
  type HeaderResponse,
  headerResponse,
  headersFrom,
  OBJECT_HEADER_PARAMS,
} from './common.js';
import type { PutObjectHeaders } from './object-write.js';

export interface CopyObjectParams extends PutObjectHeaders, CallOptions {
  /** Target bucket. */
  Bucket: string;
  /** Target key. */
  Key: string;
  /** The source: `{ Bucket, Region, Key, VersionId? }`, as in the Python SDK. */
  CopySource: CopySource;
  /**
   * `Copy` (default): the target gets the source's metadata and the request's metadata headers
   * are ignored. `Replaced`: the target gets the request's `Metadata`, `ContentType`, … — also the
   * way to change an object's metadata or storage class in place (copy it onto itself).
   */
  CopyStatus?: 'Copy' | 'Replaced';
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: string;
  CopySourceIfUnmodifiedSince?: string;
  /** SSE-C key of the source, when the source was stored with one. */
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
  CopySourceSSECustomerKeyMD5?: string;
}

export interface CopyObjectCallResult extends CopyObjectResult, HeaderResponse {
  /** The source version that was copied, when the source bucket is versioned. */
  'x-cos-copy-source-version-id'?: string;
  /** The target's new version on a versioning-enabled bucket. */
  'x-cos-version-id'?: string;
  'x-cos-hash-crc64ecma'?: string;
}

const COPY_HEADER_PARAMS = [
  ...OBJECT_HEADER_PARAMS,
  'CopySourceIfMatch',
  'CopySourceIfNoneMatch',
  'CopySourceIfModifiedSince',
  'CopySourceIfUnmodifiedSince',
  'CopySourceSSECustomerAlgorithm',
  'CopySourceSSECustomerKey',
  'CopySourceSSECustomerKeyMD5',
];

/**
 * PUT Object - Copy. Storage class, ACL and encryption are not inherited from the source: give
 * them again if the target needs them. A 200 answer carrying `<Error>` (the copy failed after it
 * started) throws a `CosServiceError` like any other failure.
 */
export async function copyObject(t: Transport, p: CopyObjectParams): Promise<CopyObjectCallResult> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const copySource = copySourceHeader(p.CopySource);
  const directive = p.CopyStatus ?? 'Copy';
  if (!(METADATA_DIRECTIVES as readonly string[]).includes(directive)) {
    throw invalidArgument(`CopyStatus must be "Copy" or "Replaced"; got "${String(directive)}".`);
  }
  checkMetadata(p.Metadata);
  checkTaggingParam(p.Tagging);
  const headers = headersFrom(p as unknown as Record<string, unknown>, COPY_HEADER_PARAMS);
  headers['x-cos-copy-source'] = copySource;
  headers['x-cos-metadata-directive'] = directive;
  const r = await t.send({
    method: 'PUT',
    bucket,
    key,
    headers,
    signal: p.signal,
    timeout: p.Timeout,
    errorIn200: true,
  });
  const pick = (h: string) => (r.headers[h] ? { [h]: r.headers[h] } : {});
  return {
    ...parseOrThrow(() => parseCopyObjectResult(r.body)),
    ...headerResponse(r),
    ...pick('x-cos-copy-source-version-id'),
    ...pick('x-cos-version-id'),
    ...pick('x-cos-hash-crc64ecma'),
  };
}
