/** A minimal signed COS request over a keep-alive agent (benchmarks measure the server, not an SDK). */
import { type Agent, request } from 'node:http';
import { encodeKeyPath, signRequest } from '@coskit/protocol';

export const DEV_KEY = {
  secretId: 'AKIDCOSKITDEVELOPMENT0000000000000000',
  secretKey: 'coskit-development-secret-key-000',
};
export const REGION = 'ap-guangzhou';

export interface SignedRequest {
  readonly agent: Agent;
  readonly port: number;
  readonly method: string;
  readonly bucket: string;
  readonly key?: string;
  readonly query?: Record<string, string>;
  readonly body?: Buffer;
  readonly headers?: Record<string, string>;
}

export function send(
  r: SignedRequest,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const key = r.key ?? '';
  const query = r.query ?? {};
  const qs = Object.entries(query)
    .map(([k, v]) => (v === '' ? k : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
  const headers: Record<string, string> = {
    host: `${r.bucket}.cos.${REGION}.myqcloud.com`,
    'content-length': String(r.body?.length ?? 0),
    ...r.headers,
  };
  headers['authorization'] = signRequest({
    ...DEV_KEY,
    method: r.method,
    pathname: `/${key}`,
    query,
    headers,
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: r.agent,
        host: '127.0.0.1',
        port: r.port,
        method: r.method,
        path: `/${encodeKeyPath(key)}${qs ? `?${qs}` : ''}`,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}
