/** PUT Object (bytes, streams, file slices, "directories") and APPEND Object. */
import { type BodyInput, prepareBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { checkMetadata, checkTaggingParam, checkTraffic, requireBucket, requireKey } from '../validation.js';
import {
  type CallOptions,
  type HeaderResponse,
  headerResponse,
  headersWithBody,
  OBJECT_HEADER_PARAMS,
  type SseCustomerKeyParams,
} from './common.js';

/** Header parameters of PUT Object (the seed's "all parameters" list). */
export interface PutObjectHeaders {
  /** `private` or `public-read` (or `default`). */
  ACL?: string;
  /** `id="OwnerUin"` list. */
  GrantFullControl?: string;
  GrantRead?: string;
  /** `STANDARD` (default), `STANDARD_IA`, `ARCHIVE`, … */
  StorageClass?: string;
  Expires?: string;
  CacheControl?: string;
  ContentType?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  /** Bytes; for a stream Body without it the request is sent chunked. */
  ContentLength?: string | number;
  /** Base64 MD5 of the body, checked by the server. */
  ContentMD5?: string;
  /** `x-cos-meta-*` entries. */
  Metadata?: Record<string, string>;
  /** bit/s, 819200–838860800. */
  TrafficLimit?: string | number;
  /** The object's tags as `k1=v1&k2=v2` (URL-encoded keys and values; at most 10). */
  Tagging?: string;
  /** `'true'` refuses to replace an existing key (409 `FileAlreadyExists`). */
  ForbidOverwrite?: 'true' | 'false';
  /** `AES256`: stored encrypted with the server's key (SSE-COS); `cos/kms` on COS for SSE-KMS. */
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSContext?: string;
  /** SSE-C: see {@link SseCustomerKeyParams}. */
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

export interface PutObjectParams extends PutObjectHeaders, CallOptions {
  /** `BucketName-APPID`. */
  Bucket: string;
  /** Object key (a leading `/` is dropped), at most 850 UTF-8 bytes. */
  Key: string;
  /**
   * The object's bytes: a Buffer, Uint8Array, string (UTF-8), a Node Readable (sent once, chunked
   * unless `ContentLength` is given) or a file slice `{ path, start, end }` (end exclusive; reopened
   * on a retry).
   */
  Body: BodyInput;
  /**
   * Compute and send Content-MD5. Default false. Works for in-memory bodies and file slices (read
   * once to hash first); refused for a plain stream, which would have to be buffered whole.
   */
  EnableMD5?: boolean;
  /** Bytes written to the socket, as they go; negative when a failed attempt's bytes are taken back before a retry. */
  onUploadProgress?: (bytes: number) => void;
}

export interface PutObjectResult extends HeaderResponse {
  /** Quoted MD5 of the object (for single PUTs). */
  ETag: string;
  'x-cos-version-id'?: string;
  /** CRC-64 of the stored object, decimal. */
  'x-cos-hash-crc64ecma'?: string;
}

/** Headers PUT Object and APPEND take from their parameters. */
const WRITE_HEADER_PARAMS = [...OBJECT_HEADER_PARAMS, 'ContentLength', 'ContentMD5', 'TrafficLimit'];

export function checkWriteParams(p: PutObjectHeaders & { Bucket: string; Key: string }): {
  bucket: string;
  key: string;
} {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  checkTraffic(p.TrafficLimit);
  checkMetadata(p.Metadata);
  checkTaggingParam(p.Tagging);
  return { bucket, key };
}

export async function putObject(t: Transport, p: PutObjectParams): Promise<PutObjectResult> {
  const { bucket, key } = checkWriteParams(p);
  const body = await prepareBody(p.Body, p.EnableMD5 ?? false, t.config.enableCrc, t.platform);
  const headers = headersWithBody(p as unknown as Record<string, unknown>, WRITE_HEADER_PARAMS, body);
  const r = await t.send({
    method: 'PUT',
    bucket,
    key,
    headers,
    body: body.body,
    signal: p.signal,
    timeout: p.Timeout,
    onUploadProgress: p.onUploadProgress,
    expectCrc64: body.crc64,
    crcOfBody: true,
  });
  return {
    ...headerResponse(r),
    ETag: r.headers['etag'] ?? '',
    ...(r.headers['x-cos-version-id'] ? { 'x-cos-version-id': r.headers['x-cos-version-id'] } : {}),
    ...(r.headers['x-cos-hash-crc64ecma']
      ? { 'x-cos-hash-crc64ecma': r.headers['x-cos-hash-crc64ecma'] }
      : {}),
  };
}

export interface AppendObjectParams extends CallOptions {
  Bucket: string;
  Key: string;
  /** Where this append starts: 0 first, then the object's length (`x-cos-next-append-position`). */
  Position: number;
  /** Bytes to append: a Buffer, Uint8Array, string, stream (with `ContentLength`) or file slice. */
  Data: BodyInput;
  /** Content-Length for a stream Data. */
  ContentLength?: string | number;
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  Expires?: string;
  ContentMD5?: string;
  EnableMD5?: boolean;
  ACL?: string;
  GrantRead?: string;
  GrantFullControl?: string;
  Metadata?: Record<string, string>;
  TrafficLimit?: string | number;
  /** Bytes written to the socket, as they go; negative when a failed attempt's bytes are taken back before a retry. */
  onUploadProgress?: (bytes: number) => void;
}

export interface AppendObjectResult extends HeaderResponse {
  ETag: string;
  /** Where the next append starts (bytes). */
  'x-cos-next-append-position': number;
  /** CRC-64 of the whole object after this append. */
  'x-cos-hash-crc64ecma'?: string;
}

export async function appendObject(t: Transport, p: AppendObjectParams): Promise<AppendObjectResult> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  checkTraffic(p.TrafficLimit);
  checkMetadata(p.Metadata);
  if (!Number.isSafeInteger(p.Position) || p.Position < 0) {
    throw invalidArgument(
      `Position must be a non-negative integer (0 first, then the object's length); got ${p.Position}.`,
    );
  }
  const body = await prepareBody(p.Data, p.EnableMD5 ?? false, false, t.platform);
  const headers = headersWithBody(
    p as unknown as Record<string, unknown>,
    WRITE_HEADER_PARAMS,
    body,
    'APPEND',
  );
  const r = await t.send({
    method: 'POST',
    bucket,
    key,
    query: { append: '', position: p.Position },
    headers,
    body: body.body,
    signal: p.signal,
    timeout: p.Timeout,
    onUploadProgress: p.onUploadProgress,
  });
  return {
    ...headerResponse(r),
    ETag: r.headers['etag'] ?? '',
    'x-cos-next-append-position': Number(r.headers['x-cos-next-append-position']),
    ...(r.headers['x-cos-hash-crc64ecma']
      ? { 'x-cos-hash-crc64ecma': r.headers['x-cos-hash-crc64ecma'] }
      : {}),
  };
}
