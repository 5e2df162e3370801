/** Raw HTTP requests to the server, signed with our protocol signer (or not), for edge cases. */
import { request } from 'node:http';
import { encodeKeyPath, signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../../src/index.js';
import { REGION } from './harness.js';

export interface RawRequest {
  readonly port: number;
  readonly method: string;
  readonly bucket: string;
  /** Decoded key; encoded onto the path unless `rawPath` is given. */
  readonly key?: string;
  /** Exact path as sent (bypasses key encoding). */
  readonly rawPath?: string;
  /** Exact query string (without `?`). */
  readonly rawQuery?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /**
   * Send the absolute-form target `http://<host><path>` (RFC 9112 §3.2.2), as any client behind
   * an HTTP proxy setting does.
   */
  readonly absoluteForm?: boolean;
  /** Headers added after signing (so the signature does not cover them). */
  readonly unsignedHeaders?: Record<string, string>;
  /** A Host header different from the (signed) host the target names. */
  readonly sentHost?: string;
  /** false = anonymous; otherwise sign (default with the development key). */
  readonly sign?: false | { secretId?: string; secretKey?: string; keyTime?: string; pathname?: string };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
}

export function rawRequest(r: RawRequest): Promise<RawResponse> {
  const host = `${r.bucket}.cos.${REGION}.myqcloud.com`;
  const key = r.key ?? '';
  const query = r.query ?? {};
  const qs =
    r.rawQuery ??
    Object.entries(query)
      .map(([k, v]) => (v === '' ? k : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
      .join('&');
  const originPath = (r.rawPath ?? `/${encodeKeyPath(key)}`) + (qs ? `?${qs}` : '');
  const path = r.absoluteForm ? `http://${host}${originPath}` : originPath;
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const headers: Record<string, string> = {
    host,
    ...(body ? { 'content-length': String(body.length) } : {}),
    ...r.headers,
  };
  if (r.sign !== false) {
    const s = r.sign ?? {};
    headers['authorization'] = signRequest({
      secretId: s.secretId ?? DEVELOPMENT_CREDENTIAL.secretId,
      secretKey: s.secretKey ?? DEVELOPMENT_CREDENTIAL.secretKey,
      method: r.method,
      pathname: s.pathname ?? `/${key}`,
      query,
      headers,
      ...(s.keyTime ? { keyTime: s.keyTime } : {}),
    });
  }
  if (r.sentHost !== undefined) headers['host'] = r.sentHost;
  Object.assign(headers, r.unsignedHeaders);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: r.port, method: r.method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: buf.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The `<Code>` of an XML error body. */
export function errorCode(res: RawResponse): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(res.text)?.[1];
}
