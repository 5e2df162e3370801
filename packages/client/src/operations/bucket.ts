/** PUT / HEAD / DELETE Bucket, GET Bucket (List Objects) and GET Service (List Buckets). */
import {
  LIMITS,
  type ListAllMyBucketsResult,
  type ListBucketResult,
  parseListAllMyBucketsResult,
  parseListBucketResult,
} from '@coskit/protocol';
import { CosClientError } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { checkPage, requireBucket } from '../validation.js';
import { type CallOptions, type HeaderResponse, headerResponse, headersFrom } from './common.js';

export interface BucketParams extends CallOptions {
  Bucket: string;
}

export interface CreateBucketParams extends BucketParams {
  /** `private` (default), `public-read`, `public-read-write`, `authenticated-read`. */
  ACL?: string;
  GrantRead?: string;
  GrantWrite?: string;
  GrantFullControl?: string;
}

export async function createBucket(t: Transport, p: CreateBucketParams): Promise<HeaderResponse> {
  const r = await t.send({
    method: 'PUT',
    bucket: requireBucket(p.Bucket),
    headers: headersFrom(p as unknown as Record<string, unknown>, [
      'ACL',
      'GrantRead',
      'GrantWrite',
      'GrantFullControl',
    ]),
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}

export async function headBucket(t: Transport, p: BucketParams): Promise<HeaderResponse> {
  return headerResponse(
    await t.send({ method: 'HEAD', bucket: requireBucket(p.Bucket), signal: p.signal, timeout: p.Timeout }),
  );
}

export async function deleteBucket(t: Transport, p: BucketParams): Promise<HeaderResponse> {
  return headerResponse(
    await t.send({ method: 'DELETE', bucket: requireBucket(p.Bucket), signal: p.signal, timeout: p.Timeout }),
  );
}

export interface ListObjectsParams extends BucketParams {
  Prefix?: string;
  Delimiter?: string;
  /** List keys after this one. */
  Marker?: string;
  /** 0–1000, default 1000 (counts keys and common prefixes). */
  MaxKeys?: number;
  /**
   * Ask for url-encoded keys (they are decoded before you see them). Default 'url'; '' sends no
   * `encoding-type` (raw keys in the XML).
   */
  EncodingType?: 'url' | '';
}

export type ListObjectsResult = ListBucketResult & HeaderResponse;

/** One page of GET Bucket; `Contents`/`CommonPrefixes` are always arrays. */
export async function listObjects(t: Transport, p: ListObjectsParams): Promise<ListObjectsResult> {
  checkPage('MaxKeys', p.MaxKeys, 0, LIMITS.maxListKeys);
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    query: {
      prefix: p.Prefix,
      delimiter: p.Delimiter,
      marker: p.Marker,
      'max-keys': p.MaxKeys,
      // Keys with characters XML cannot carry only survive url encoding; decoding is transparent.
      'encoding-type': p.EncodingType === '' ? undefined : (p.EncodingType ?? 'url'),
    },
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseListBucketResult(r.body)), ...headerResponse(r) };
}

export type ListBucketsResult = ListAllMyBucketsResult & HeaderResponse;

/** GET Service: every bucket of the account (of the server, for `coskit serve`). */
export async function listBuckets(t: Transport, p: CallOptions = {}): Promise<ListBucketsResult> {
  const r = await t.send({ method: 'GET', bucket: undefined, signal: p.signal, timeout: p.Timeout });
  return { ...parseOrThrow(() => parseListAllMyBucketsResult(r.body)), ...headerResponse(r) };
}

/** Runs a body parser; a body that does not parse is a CosClientError, not a crash. */
export function parseOrThrow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CosClientError(
      'COS_MALFORMED_RESPONSE',
      `the response body is not the expected XML: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
