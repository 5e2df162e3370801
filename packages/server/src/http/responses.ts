/** Writing responses: common headers, XML bodies, and `<Error>` bodies from the registry. */
import type { ServerResponse } from 'node:http';
import {
  buildErrorBody,
  buildS3ErrorBody,
  COS_ERRORS,
  type CosErrorCode,
  RESPONSE_HEADERS,
  toS3Document,
} from '@coskit/protocol';
import { dialectOf } from './dialect.js';

export function commonHeaders(res: ServerResponse, requestId: string): void {
  res.setHeader(RESPONSE_HEADERS.requestId, requestId);
  res.setHeader('Server', 'tencent-cos');
}

export function sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(dialectOf(res) === 's3' ? toS3Document(xml) : xml, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'application/xml', 'Content-Length': body.byteLength });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

export interface ErrorDetails {
  readonly code: CosErrorCode;
  readonly message?: string | undefined;
  /** COS's `<Resource>`: `<bucket>.cos.<region>.myqcloud.com/<key>`. */
  readonly resource: string;
  /** S3's `<Resource>`: the path addressed, `/<bucket>/<key>`. */
  readonly path: string;
  readonly requestId: string;
  readonly extra?: Readonly<Record<string, string>> | undefined;
}

// Characters XML 1.0 cannot carry (a key with NUL or ESC may end up in a message or Resource).
const NOT_XML_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlSafe = (value: string) => value.replace(NOT_XML_TEXT, '\uFFFD');

/**
 * Sends a COS error: status from the registry, full `<Error>` body except for HEAD — in the S3
 * dialect S3's `<Error>` (Code, Message, Resource = the path, RequestId, extras), with S3's code names. A HEAD error
 * is the status alone, as on COS object buckets: no `x-cos-error-code` header, which the Python
 * SDK reads as the error of a *vector bucket* (and then loses the request id).
 */
export function sendError(res: ServerResponse, method: string, e: ErrorDetails): void {
  const spec = COS_ERRORS[e.code];
  res.setHeader(RESPONSE_HEADERS.traceId, e.requestId);
  if (method === 'HEAD') {
    sendEmpty(res, spec.status);
    return;
  }
  if (dialectOf(res) === 's3') {
    const extra = Object.fromEntries(Object.entries(e.extra ?? {}).map(([n, v]) => [n, xmlSafe(v)]));
    const xml = buildS3ErrorBody({
      code: e.code,
      message: e.message === undefined ? undefined : xmlSafe(e.message),
      resource: xmlSafe(e.path),
      requestId: e.requestId,
      extra,
    });
    sendXml(res, spec.status, xml);
    return;
  }
  const fields: Record<string, string> = {
    Code: e.code,
    Message: e.message ?? spec.message,
    Resource: e.resource,
    RequestId: e.requestId,
    TraceId: e.requestId,
    ...e.extra,
  };
  for (const [name, value] of Object.entries(fields)) fields[name] = xmlSafe(value);
  const xml = buildErrorBody(fields as Parameters<typeof buildErrorBody>[0]);
  sendXml(res, spec.status, xml);
}
