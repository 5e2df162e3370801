/** Pieces every operation shares: per-call options and the header-only response shape. */
import { paramsToHeaders } from '@coskit/protocol';
import type { AttemptResult } from '../transport/http.js';

/** Options any call takes. */
export interface CallOptions {
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Per-call timeout, ms. */
  Timeout?: number;
  /** Extra raw headers (sent and signed as given). */
  Headers?: Record<string, string>;
}

/** Response of calls that answer with headers only (the seed returns the header dict). */
export interface HeaderResponse {
  /** HTTP status. */
  statusCode: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  'x-cos-request-id': string;
}

export function headerResponse(r: AttemptResult): HeaderResponse {
  return {
    statusCode: r.statusCode,
    headers: r.headers,
    'x-cos-request-id': r.headers['x-cos-request-id'] ?? '',
  };
}

/** The seed parameters of PUT Object / Initiate that become headers. */
export const OBJECT_HEADER_PARAMS = [
  'ACL',
  'GrantFullControl',
  'GrantRead',
  'GrantWrite',
  'GrantReadAcp',
  'GrantWriteAcp',
  'StorageClass',
  'Expires',
  'CacheControl',
  'ContentType',
  'ContentDisposition',
  'ContentEncoding',
  'ContentLanguage',
  'Tagging',
  'ForbidOverwrite',
  'ServerSideEncryption',
  'SSEKMSKeyId',
  'SSEKMSContext',
  'SSECustomerAlgorithm',
  'SSECustomerKey',
  'SSECustomerKeyMD5',
] as const;

/** Headers from the table for `allowed` params, plus Metadata, plus raw `Headers`. */
export function headersFrom(
  params: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): Record<string, string> {
  return {
    ...paramsToHeaders(params, allowed),
    ...(params['Headers'] as Record<string, string> | undefined),
  };
}
