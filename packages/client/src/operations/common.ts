/** Pieces every operation shares: per-call options and the header-only response shape. */
import { paramsToHeaders } from '@coskit/protocol';
import type { PreparedBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { AttemptResult } from '../transport/sender.js';

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

/**
 * Headers of a request with a body: the table's headers for `allowed` params, Content-MD5 when the
 * body was hashed, and — for calls that cannot be chunked (`needsLengthFor`) — a refusal when a
 * stream body comes without ContentLength.
 */
export function headersWithBody(
  params: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  body: PreparedBody,
  needsLengthFor?: string,
): Record<string, string> {
  const headers = headersFrom(params, allowed);
  if (body.md5 && !headers['Content-MD5']) headers['Content-MD5'] = body.md5;
  if (body.length === undefined && headers['Content-Length'] === undefined) {
    if (needsLengthFor) {
      throw invalidArgument(
        `${needsLengthFor} needs a Content-Length: pass ContentLength with a stream body, or a Buffer.`,
      );
    }
    headers['transfer-encoding'] = 'chunked';
  }
  return headers;
}
