/** HEAD Object and GET Object (stream, Range, conditions, response-* overrides, traffic limit). */
import type { Transport } from '../transport/request.js';
import { checkTraffic, checkVersionId, requireBucket, requireKey } from '../validation.js';
import {
  type CallOptions,
  type HeaderResponse,
  headerResponse,
  headersFrom,
  SSE_CUSTOMER_PARAMS,
  type SseCustomerKeyParams,
} from './common.js';

export interface ReadConditions {
  /** `bytes=first-last`, `bytes=first-` or `bytes=-suffix`. */
  Range?: string;
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: string;
  IfUnmodifiedSince?: string;
}

export interface HeadObjectParams extends ReadConditions, SseCustomerKeyParams, CallOptions {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

export interface HeadObjectResult extends HeaderResponse {
  ETag: string;
  'Content-Length': number;
  'Content-Type'?: string;
  'Last-Modified'?: string;
  'x-cos-hash-crc64ecma'?: string;
  /** `appendable` for appendable objects. */
  'x-cos-object-type'?: string;
  /** The version read, in a bucket that has (had) versioning (`null` for the null version). */
  'x-cos-version-id'?: string;
  'x-cos-storage-class'?: string;
  /** `AES256` when the object is stored with SSE-COS. */
  'x-cos-server-side-encryption'?: string;
  /** `AES256` when the object is stored with SSE-C (its key's MD5 in the next field). */
  'x-cos-server-side-encryption-customer-algorithm'?: string;
  'x-cos-server-side-encryption-customer-key-MD5'?: string;
  /** `x-cos-meta-*` headers. */
  Metadata: Record<string, string>;
}

const READ_HEADER_PARAMS = [
  'Range',
  'IfMatch',
  'IfNoneMatch',
  'IfModifiedSince',
  'IfUnmodifiedSince',
  ...SSE_CUSTOMER_PARAMS,
];

function objectFields(headers: Record<string, string>): Omit<HeadObjectResult, keyof HeaderResponse> {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-cos-meta-')) metadata[k] = v;
  const pick = (name: string, header: string) =>
    headers[header] === undefined ? {} : { [name]: headers[header] };
  return {
    ETag: headers['etag'] ?? '',
    'Content-Length': Number(headers['content-length'] ?? 0),
    ...pick('Content-Type', 'content-type'),
    ...pick('Last-Modified', 'last-modified'),
    ...pick('x-cos-hash-crc64ecma', 'x-cos-hash-crc64ecma'),
    ...pick('x-cos-object-type', 'x-cos-object-type'),
    ...pick('x-cos-version-id', 'x-cos-version-id'),
    ...pick('x-cos-storage-class', 'x-cos-storage-class'),
    ...pick('x-cos-server-side-encryption', 'x-cos-server-side-encryption'),
    ...pick(
      'x-cos-server-side-encryption-customer-algorithm',
      'x-cos-server-side-encryption-customer-algorithm',
    ),
    ...pick('x-cos-server-side-encryption-customer-key-MD5', 'x-cos-server-side-encryption-customer-key-md5'),
    Metadata: metadata,
  };
}

export async function headObject(t: Transport, p: HeadObjectParams): Promise<HeadObjectResult> {
  const r = await t.send({
    method: 'HEAD',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { versionId: checkVersionId(p.VersionId) },
    headers: headersFrom(p as unknown as Record<string, unknown>, READ_HEADER_PARAMS),
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...headerResponse(r), ...objectFields(r.headers) };
}

export interface GetObjectParams extends HeadObjectParams {
  ResponseContentType?: string;
  ResponseContentLanguage?: string;
  ResponseExpires?: string;
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  TrafficLimit?: string | number;
}

/**
 * GET Object's answer with the runtime's stream type: `GetObjectResult` of `@coskit/client/node`
 * has a Node `Readable`, that of `@coskit/client/browser` a web `ReadableStream`.
 */
export interface GetObjectResultOf<TStream> extends HeadObjectResult {
  /** The object's bytes as a stream; consume it (or cancel / `destroy()` it) to free the connection. */
  Body: TStream;
  'Content-Range'?: string;
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  ResponseContentType: 'response-content-type',
  ResponseContentLanguage: 'response-content-language',
  ResponseExpires: 'response-expires',
  ResponseCacheControl: 'response-cache-control',
  ResponseContentDisposition: 'response-content-disposition',
  ResponseContentEncoding: 'response-content-encoding',
};

export async function getObject<TStream>(
  t: Transport,
  p: GetObjectParams,
): Promise<GetObjectResultOf<TStream>> {
  checkTraffic(p.TrafficLimit);
  const query: Record<string, string | undefined> = { versionId: checkVersionId(p.VersionId) };
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = (p as unknown as Record<string, string | undefined>)[param];
    if (value !== undefined) query[name] = value;
  }
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query,
    headers: headersFrom(p as unknown as Record<string, unknown>, [...READ_HEADER_PARAMS, 'TrafficLimit']),
    signal: p.signal,
    timeout: p.Timeout,
    streamResponse: true,
  });
  return {
    ...headerResponse(r),
    ...objectFields(r.headers),
    ...(r.headers['content-range'] ? { 'Content-Range': r.headers['content-range'] } : {}),
    Body: r.stream as TStream,
  };
}
