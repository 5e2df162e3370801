/**
 * The seven multipart calls of the seed: List Multipart Uploads, Initiate, Upload Part, Upload
 * Part - Copy, List Parts, Complete and Abort.
 */
import {
  buildCompleteMultipartUpload,
  type CompleteMultipartUploadResult,
  type CopyPartResult,
  LIMITS,
  type ListMultipartUploadsResult,
  type ListPartsResult,
  parseCompleteMultipartUploadResult,
  parseCopyPartResult,
  parseInitiateMultipartUploadResult,
  parseListMultipartUploadsResult,
  parseListPartsResult,
} from '@coskit/protocol';
import { type BodyInput, prepareBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import {
  type CopySource,
  checkMetadata,
  checkPage,
  checkTaggingParam,
  checkTraffic,
  copySourceHeader,
  requireBucket,
  requireKey,
  requirePartNumber,
  requireUploadId,
} from '../validation.js';
import { parseOrThrow } from './bucket.js';
import {
  type CallOptions,
  type HeaderResponse,
  headerResponse,
  headersFrom,
  headersWithBody,
  OBJECT_HEADER_PARAMS,
  SSE_CUSTOMER_PARAMS,
  type SseCustomerKeyParams,
} from './common.js';
import type { PutObjectHeaders } from './object-write.js';

interface ObjectTarget extends CallOptions {
  Bucket: string;
  Key: string;
}

export interface ListMultipartUploadsParams extends CallOptions {
  Bucket: string;
  Prefix?: string;
  Delimiter?: string;
  KeyMarker?: string;
  /** Only with KeyMarker. */
  UploadIdMarker?: string;
  /** 1–1000, default 1000. */
  MaxUploads?: number;
  EncodingType?: 'url' | '';
}

export async function listMultipartUploads(
  t: Transport,
  p: ListMultipartUploadsParams,
): Promise<ListMultipartUploadsResult & HeaderResponse> {
  checkPage('MaxUploads', p.MaxUploads, 1, LIMITS.maxListUploads);
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    query: {
      uploads: '',
      prefix: p.Prefix,
      delimiter: p.Delimiter,
      'key-marker': p.KeyMarker,
      'upload-id-marker': p.UploadIdMarker,
      'max-uploads': p.MaxUploads,
      'encoding-type': p.EncodingType === '' ? undefined : (p.EncodingType ?? 'url'),
    },
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseListMultipartUploadsResult(r.body)), ...headerResponse(r) };
}

export type CreateMultipartUploadParams = ObjectTarget &
  Omit<PutObjectHeaders, 'ContentLength' | 'ContentMD5' | 'TrafficLimit'>;

export interface CreateMultipartUploadResult extends HeaderResponse {
  UploadId: string;
  Bucket: string;
  Key: string;
}

export async function createMultipartUpload(
  t: Transport,
  p: CreateMultipartUploadParams,
): Promise<CreateMultipartUploadResult> {
  checkMetadata(p.Metadata);
  checkTaggingParam(p.Tagging);
  const r = await t.send({
    method: 'POST',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { uploads: '' },
    headers: headersFrom(p as unknown as Record<string, unknown>, OBJECT_HEADER_PARAMS),
    signal: p.signal,
    timeout: p.Timeout,
    // A retry after a lost answer would create a second upload: see uploadFile's initiate().
    idempotent: false,
  });
  return { ...parseOrThrow(() => parseInitiateMultipartUploadResult(r.body)), ...headerResponse(r) };
}

/** `SSECustomer*`: the upload's SSE-C key, which every part of an SSE-C upload must repeat. */
export interface UploadPartParams extends ObjectTarget, SseCustomerKeyParams {
  /**
   * The part's bytes: a Buffer, Uint8Array, string, a stream with `ContentLength` (sent once) or a
   * file slice `{ path, start, end }` (end exclusive; reopened on a retry).
   */
  Body: BodyInput;
  /** 1–10000. */
  PartNumber: number;
  UploadId: string;
  EnableMD5?: boolean;
  ContentLength?: string | number;
  ContentMD5?: string;
  TrafficLimit?: string | number;
  /** CRC-64 (decimal) of Body when the caller already has it; saves hashing the part twice. */
  Crc64?: string;
  /** Bytes written to the socket, as they go; negative when a failed attempt's bytes are taken back before a retry. */
  onUploadProgress?: (bytes: number) => void;
}

export interface UploadPartResult extends HeaderResponse {
  /** Quoted MD5 of the part. */
  ETag: string;
  /** CRC-64 of the part, decimal (already checked against the bytes sent unless EnableCRC is off). */
  'x-cos-hash-crc64ecma'?: string;
}

export async function uploadPart(t: Transport, p: UploadPartParams): Promise<UploadPartResult> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const uploadId = requireUploadId(p.UploadId);
  const partNumber = requirePartNumber(p.PartNumber);
  checkTraffic(p.TrafficLimit);
  const body = await prepareBody(
    p.Body,
    p.EnableMD5 ?? false,
    t.config.enableCrc && p.Crc64 === undefined,
    t.platform,
  );
  if (body.length !== undefined && body.length > LIMITS.maxPartSize) {
    throw invalidArgument(`a part may be at most ${LIMITS.maxPartSize} bytes; this one is ${body.length}.`);
  }
  const headers = headersWithBody(
    p as unknown as Record<string, unknown>,
    ['ContentLength', 'ContentMD5', 'TrafficLimit', ...SSE_CUSTOMER_PARAMS],
    body,
    'uploadPart',
  );
  const r = await t.send({
    method: 'PUT',
    bucket,
    key,
    query: { partNumber, uploadId },
    headers,
    body: body.body,
    signal: p.signal,
    timeout: p.Timeout,
    onUploadProgress: p.onUploadProgress,
    expectCrc64: p.Crc64 ?? body.crc64,
    crcOfBody: true,
  });
  return {
    ...headerResponse(r),
    ETag: r.headers['etag'] ?? '',
    ...(r.headers['x-cos-hash-crc64ecma']
      ? { 'x-cos-hash-crc64ecma': r.headers['x-cos-hash-crc64ecma'] }
      : {}),
  };
}

/** The object a part is copied from. */
export type { CopySource };

/** `SSECustomer*`: the target upload's SSE-C key; `CopySourceSSECustomer*`: the source's. */
export interface UploadPartCopyParams extends ObjectTarget, SseCustomerKeyParams {
  PartNumber: number;
  UploadId: string;
  CopySource: CopySource;
  /** `bytes=first-last` (0-based, inclusive); default the whole source. */
  CopySourceRange?: string;
  CopySourceIfMatch?: string;
  CopySourceIfModifiedSince?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfUnmodifiedSince?: string;
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
  CopySourceSSECustomerKeyMD5?: string;
}

export interface UploadPartCopyResult extends CopyPartResult, HeaderResponse {
  'x-cos-copy-source-version-id'?: string;
  'x-cos-hash-crc64ecma'?: string;
}

/** The `x-cos-copy-source` value: `<bucket>.cos.<region>.myqcloud.com/<encoded key>[?versionId=…]`. */
export async function uploadPartCopy(t: Transport, p: UploadPartCopyParams): Promise<UploadPartCopyResult> {
  const partNumber = requirePartNumber(p.PartNumber);
  const range = p.CopySourceRange === undefined ? undefined : /^bytes=(\d+)-(\d+)$/.exec(p.CopySourceRange);
  if (range === null || (range && Number(range[1]) > Number(range[2]))) {
    throw invalidArgument(
      `CopySourceRange must be "bytes=<first>-<last>" with first <= last (0-based, inclusive); got "${p.CopySourceRange}".`,
    );
  }
  const headers = headersFrom(p as unknown as Record<string, unknown>, [
    'CopySourceRange',
    'CopySourceIfMatch',
    'CopySourceIfModifiedSince',
    'CopySourceIfNoneMatch',
    'CopySourceIfUnmodifiedSince',
    'CopySourceSSECustomerAlgorithm',
    'CopySourceSSECustomerKey',
    'CopySourceSSECustomerKeyMD5',
    ...SSE_CUSTOMER_PARAMS,
  ]);
  headers['x-cos-copy-source'] = copySourceHeader(p.CopySource);
  const r = await t.send({
    method: 'PUT',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { partNumber, uploadId: requireUploadId(p.UploadId) },
    headers,
    signal: p.signal,
    timeout: p.Timeout,
    errorIn200: true,
  });
  const pick = (h: string) => (r.headers[h] ? { [h]: r.headers[h] } : {});
  return {
    ...parseOrThrow(() => parseCopyPartResult(r.body)),
    ...headerResponse(r),
    ...pick('x-cos-copy-source-version-id'),
    ...pick('x-cos-hash-crc64ecma'),
  };
}

export interface ListPartsParams extends ObjectTarget {
  UploadId: string;
  /** 1–1000, default 1000. */
  MaxParts?: number;
  /** List parts numbered above this. Default 0. */
  PartNumberMarker?: number;
  EncodingType?: 'url' | '';
}

export async function listParts(t: Transport, p: ListPartsParams): Promise<ListPartsResult & HeaderResponse> {
  checkPage('MaxParts', p.MaxParts, 1, LIMITS.maxListParts);
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: {
      uploadId: requireUploadId(p.UploadId),
      'max-parts': p.MaxParts,
      'part-number-marker': p.PartNumberMarker,
      'encoding-type': p.EncodingType === '' ? undefined : (p.EncodingType ?? 'url'),
    },
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseListPartsResult(r.body)), ...headerResponse(r) };
}

export interface CompleteMultipartUploadParams extends ObjectTarget {
  UploadId: string;
  /** Every part, ascending: `{ Part: [{ PartNumber, ETag }] }`. */
  MultipartUpload: { Part: { PartNumber: number; ETag: string }[] };
  /**
   * `'true'`: refuse (409 FileAlreadyExists) when the key exists by the time Complete runs — also
   * when Initiate did not ask for it. Sent as `x-cos-forbid-overwrite`.
   */
  ForbidOverwrite?: 'true' | 'false';
}

export interface CompleteMultipartUploadResult2 extends CompleteMultipartUploadResult, HeaderResponse {
  /** CRC-64 of the whole object, decimal. */
  'x-cos-hash-crc64ecma'?: string;
  'x-cos-version-id'?: string;
}

export async function completeMultipartUpload(
  t: Transport,
  p: CompleteMultipartUploadParams,
): Promise<CompleteMultipartUploadResult2> {
  const parts = p.MultipartUpload?.Part;
  if (!Array.isArray(parts) || parts.length === 0) {
    throw invalidArgument('MultipartUpload.Part must list every uploaded part as { PartNumber, ETag }.');
  }
  for (const part of parts) requirePartNumber(part.PartNumber);
  const body = new TextEncoder().encode(buildCompleteMultipartUpload({ Part: parts }));
  const r = await t.send({
    method: 'POST',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { uploadId: requireUploadId(p.UploadId) },
    headers: {
      'content-type': 'application/xml',
      ...headersFrom(p as unknown as Record<string, unknown>, ['ForbidOverwrite']),
    },
    body,
    signal: p.signal,
    timeout: p.Timeout ?? t.config.completeTimeout,
    errorIn200: true,
  });
  const pick = (h: string) => (r.headers[h] ? { [h]: r.headers[h] } : {});
  return {
    ...parseOrThrow(() => parseCompleteMultipartUploadResult(r.body)),
    ...headerResponse(r),
    ...pick('x-cos-hash-crc64ecma'),
    ...pick('x-cos-version-id'),
  };
}

export interface AbortMultipartUploadParams extends ObjectTarget {
  UploadId: string;
}

export async function abortMultipartUpload(
  t: Transport,
  p: AbortMultipartUploadParams,
): Promise<HeaderResponse> {
  const r = await t.send({
    method: 'DELETE',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { uploadId: requireUploadId(p.UploadId) },
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}
