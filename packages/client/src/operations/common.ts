/** Pieces every operation shares: per-call options and the header-only response shape. */
import { base64ToBytes, md5Base64, paramsToHeaders, SSE_ALGORITHM } from '@coskit/protocol';
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

/**
 * The SSE-C key of a request, with the seed's names. Every GET, HEAD and Upload Part of an SSE-C
 * object or upload must carry it (COS keeps no copy: lose the key and the object is lost); a copy
 * from an SSE-C source carries it as `CopySourceSSECustomer*`.
 */
export interface SseCustomerKeyParams {
  /** `AES256`, the only algorithm; filled in when `SSECustomerKey` is given. */
  SSECustomerAlgorithm?: string;
  /** Base64 of the 32-byte AES-256 key. */
  SSECustomerKey?: string;
  /** Base64 MD5 of the key; computed when omitted, checked when given. */
  SSECustomerKeyMD5?: string;
}

export const SSE_CUSTOMER_PARAMS = ['SSECustomerAlgorithm', 'SSECustomerKey', 'SSECustomerKeyMD5'] as const;

/** The SSE-C fields `p` gives (for a transfer to pass on to each of its requests). */
export function sseCustomerOf(p: SseCustomerKeyParams): SseCustomerKeyParams {
  const out: SseCustomerKeyParams = {};
  for (const name of SSE_CUSTOMER_PARAMS) if (p[name] !== undefined) out[name] = p[name];
  return out;
}

/**
 * Checks an SSE-C key given as `<prefix>SSECustomerKey` (base64 of 32 bytes) and fills in its
 * algorithm and MD5; throws before any I/O on a bad one. No key: nothing (algorithm or MD5
 * without a key is refused).
 */
function sseCustomerDefaults(
  params: Readonly<Record<string, unknown>>,
  prefix: '' | 'CopySource',
): Record<string, string> {
  const [algName, keyName, md5Name] = SSE_CUSTOMER_PARAMS.map((n) => `${prefix}${n}`) as [
    string,
    string,
    string,
  ];
  const key = params[keyName];
  if (key === undefined) {
    if (params[algName] !== undefined || params[md5Name] !== undefined) {
      throw invalidArgument(`${algName} and ${md5Name} need ${keyName} (base64 of the 32-byte key).`);
    }
    return {};
  }
  const bytes = typeof key === 'string' ? base64ToBytes(key) : undefined;
  if (bytes?.byteLength !== 32) {
    throw invalidArgument(`${keyName} must be the base64 of a 32-byte AES-256 key.`);
  }
  const algorithm = params[algName] ?? SSE_ALGORITHM;
  if (algorithm !== SSE_ALGORITHM)
    throw invalidArgument(`${algName} must be ${SSE_ALGORITHM}; got "${String(algorithm)}".`);
  const md5 = md5Base64(bytes);
  if (params[md5Name] !== undefined && params[md5Name] !== md5) {
    throw invalidArgument(`${md5Name} is not the MD5 of ${keyName}; leave it out to have it computed.`);
  }
  return { [algName]: algorithm, [md5Name]: md5 };
}

/**
 * Checks a call's SSE-C keys — its own (`SSECustomerKey`) and its copy source's
 * (`CopySourceSSECustomerKey`) — before any I/O, as a request would (base64 of 32 bytes, AES256,
 * a given MD5 matching), and that SSE-COS and SSE-C are not both asked for.
 */
export function checkSseCustomerKeys(params: Readonly<Record<string, unknown>>): void {
  sseCustomerDefaults(params, '');
  sseCustomerDefaults(params, 'CopySource');
  if (params['ServerSideEncryption'] !== undefined && params['SSECustomerKey'] !== undefined) {
    throw invalidArgument(
      'ServerSideEncryption (SSE-COS) and SSECustomerKey (SSE-C) cannot be combined: give one of them.',
    );
  }
}

/**
 * Headers from the table for `allowed` params, plus Metadata, plus raw `Headers`. An SSE-C key
 * (own or copy source's) is checked and gets its algorithm and MD5 filled in.
 */
export function headersFrom(
  params: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): Record<string, string> {
  const completed = {
    ...params,
    ...sseCustomerDefaults(params, ''),
    ...sseCustomerDefaults(params, 'CopySource'),
  };
  return {
    ...paramsToHeaders(completed, allowed),
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
