/**
 * An HTTP proxy in front of the test server that counts the body bytes of part uploads and can
 * make chosen parts fail (500 InternalError), to test retries, resumability and re-sent bytes.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly port: number;
  /** Body bytes of PUT requests with a `partNumber` that reached the proxy. */
  partBytes: number;
  /** Body bytes of every PUT (parts and whole objects). */
  putBytes: number;
  /** Requests of any kind that reached the proxy. */
  requests: number;
  /** Part numbers that get a 500 InternalError instead of reaching the server. */
  readonly failParts: Set<number>;
  /** Requests seen per part number (PUT with `partNumber`), failed ones included. */
  readonly partRequests: Map<number, number>;
  close(): Promise<void>;
}

const INTERNAL_ERROR =
  "<?xml version='1.0' encoding='utf-8' ?><Error><Code>InternalError</Code><Message>injected by the test proxy</Message><Resource>-</Resource><RequestId>proxy</RequestId><TraceId>proxy</TraceId></Error>";

export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  const state = {
    partBytes: 0,
    putBytes: 0,
    requests: 0,
    failParts: new Set<number>(),
    partRequests: new Map<number, number>(),
  };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const part = url.searchParams.get('partNumber');
    if (req.method === 'PUT' && part !== null)
      state.partRequests.set(Number(part), (state.partRequests.get(Number(part)) ?? 0) + 1);
    if (req.method === 'PUT') {
      req.on('data', (c: Buffer) => {
        state.putBytes += c.length;
        if (part !== null) state.partBytes += c.length;
      });
    }
    if (part !== null && state.failParts.has(Number(part))) {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, {
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(INTERNAL_ERROR),
        });
        res.end(INTERNAL_ERROR);
      });
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
