/**
 * A programmable fault-injecting HTTP proxy in front of the coskit server, for transport tests.
 * Every request that reaches it is recorded (method, url, headers, body bytes), then, in this
 * order: reset the connection (`resetNext`), answer 503 SlowDown (`slowDownNext`), or wait
 * `delayMs` and forward; the server's answer can have its CRC-64 / Date headers rewritten, or be
 * cut after its first body bytes (`truncateNext`).
 */
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Client port of the connection (equal ports = a reused keep-alive socket). */
  readonly remotePort: number;
  /** Body bytes the proxy read (grows while the body streams in). */
  bodyBytes: number;
}

export interface FaultProxy {
  readonly port: number;
  /** Every request that reached the proxy, faulted or not. */
  readonly requests: RecordedRequest[];
  /** Requests passed on to the server. */
  forwarded: number;
  /** Destroy the connection of the next N requests (the client sees ECONNRESET / socket hang up). */
  resetNext: number;
  /** Answer the next N requests with 503 SlowDown and an `<Error>` body. */
  slowDownNext: number;
  /** Forward the next N requests but cut the connection after the first bytes of the answer's body. */
  truncateNext: number;
  /** Forward requests it returns true for, but cut the connection after the first bytes of the answer's body. */
  truncateWhen: ((r: RecordedRequest) => boolean) | undefined;
  /** Called as each request arrives, before any fault (e.g. to snapshot client state at that moment). */
  onRequest: ((r: RecordedRequest) => void) | undefined;
  /** Wait this long before forwarding each request, ms. */
  delayMs: number;
  /** Replace `x-cos-hash-crc64ecma` on answers that carry it. */
  crc64: string | undefined;
  /** Rewrite the server's `Date` header. */
  date: ((serverDate: string) => string) | undefined;
  /** Clears the log and every fault. */
  reset(): void;
  close(): Promise<void>;
}

const SLOW_DOWN =
  "<?xml version='1.0' encoding='utf-8' ?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><Resource>fault-proxy</Resource><RequestId>fault-proxy-req</RequestId><TraceId>fault-proxy-trace</TraceId></Error>";

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const state = {
    requests: [] as RecordedRequest[],
    forwarded: 0,
    resetNext: 0,
    slowDownNext: 0,
    truncateNext: 0,
    delayMs: 0,
    truncateWhen: undefined as ((r: RecordedRequest) => boolean) | undefined,
    onRequest: undefined as ((r: RecordedRequest) => void) | undefined,
    crc64: undefined as string | undefined,
    date: undefined as ((d: string) => string) | undefined,
  };
  const server: Server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      remotePort: req.socket.remotePort ?? 0,
      bodyBytes: 0,
    };
    state.requests.push(record);
    state.onRequest?.(record);
    req.on('data', (c: Buffer) => {
      record.bodyBytes += c.length;
    });
    if (state.resetNext > 0) {
      state.resetNext--;
      req.socket.destroy();
      return;
    }
    if (state.slowDownNext > 0) {
      state.slowDownNext--;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, {
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(SLOW_DOWN),
          'x-cos-request-id': 'fault-proxy-req',
          // As COS answers a page: the refusal carries CORS headers, so a browser sees the 503.
          'access-control-allow-origin': '*',
          'access-control-expose-headers': 'x-cos-request-id',
        });
        res.end(SLOW_DOWN);
      });
      return;
    }
    req.pause();
    const forward = () => {
      if (req.destroyed || res.destroyed) return;
      state.forwarded++;
      const truncate = state.truncateNext > 0 || state.truncateWhen?.(record) === true;
      if (state.truncateNext > 0) state.truncateNext--;
      const upstream = request(
        { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const headers = { ...up.headers };
          if (state.crc64 !== undefined && headers['x-cos-hash-crc64ecma'] !== undefined)
            headers['x-cos-hash-crc64ecma'] = state.crc64;
          if (state.date && typeof headers.date === 'string') headers.date = state.date(headers.date);
          res.writeHead(up.statusCode ?? 502, headers);
          if (truncate) {
            up.once('data', (chunk: Buffer) => {
              res.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => res.socket?.destroy());
              up.destroy();
            });
            return;
          }
          up.pipe(res);
          up.on('error', () => res.destroy());
        },
      );
      upstream.on('error', () => res.destroy());
      // The client went away (abort, timeout): cut the upstream request too.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    };
    if (state.delayMs > 0) setTimeout(forward, state.delayMs).unref();
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    reset() {
      state.requests.length = 0;
      state.forwarded = 0;
      state.resetNext = 0;
      state.slowDownNext = 0;
      state.truncateNext = 0;
      state.delayMs = 0;
      state.truncateWhen = undefined;
      state.onRequest = undefined;
      state.crc64 = undefined;
      state.date = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
