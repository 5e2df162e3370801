/**
 * One HTTP exchange on a keep-alive socket: write the body (reporting bytes as they are flushed),
 * read the answer, map every socket failure to a `CosClientError`. No retries here (see request.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { CosClientError } from '../errors.js';

export interface Attempt {
  readonly scheme: 'http' | 'https';
  readonly method: string;
  readonly connectHost: string;
  readonly connectPort: number;
  /** Encoded path plus `?query`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | Readable | undefined;
  readonly agent: HttpAgent;
  /** Idle timeout of the socket, ms. */
  readonly timeout: number;
  readonly signal?: AbortSignal | undefined;
  readonly onUploadProgress?: ((bytes: number) => void) | undefined;
  /** Sees each chunk of a stream body as it is written (e.g. to CRC-64 it on the way). */
  readonly onBodyChunk?: ((chunk: Buffer) => void) | undefined;
  /** Return the body as a stream (GET Object) instead of buffering it. */
  readonly streamResponse?: boolean;
}

export interface AttemptResult {
  readonly statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly stream?: IncomingMessage;
}

const WRITE_SLICE = 256 * 1024;

export function createAgents(maxSockets: number): { http: HttpAgent; https: HttpsAgent } {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 15_000 };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function networkError(err: NodeJS.ErrnoException, a: Attempt): CosClientError {
  const e = new CosClientError(
    'COS_NETWORK',
    `${a.method} ${a.connectHost}:${a.connectPort}${a.path}: ${err.code ?? ''} ${err.message}`.trim(),
    {
      cause: err,
    },
  );
  return Object.assign(e, { errno: err.code });
}

export function sendAttempt(a: Attempt): Promise<AttemptResult> {
  return new Promise((resolve, reject) => {
    if (a.signal?.aborted) {
      reject(new CosClientError('COS_ABORTED', 'the request was cancelled', { cause: a.signal.reason }));
      return;
    }
    let settled = false;
    /** The response body handed to the caller (GET Object): later failures end it, not the promise. */
    let streaming: IncomingMessage | undefined;
    const fail = (err: Error) => {
      if (streaming) {
        streaming.destroy(err);
        return;
      }
      if (settled) return;
      settled = true;
      a.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = () =>
      fail(new CosClientError('COS_ABORTED', 'the request was cancelled', { cause: a.signal?.reason }));
    const send = a.scheme === 'https' ? httpsRequest : httpRequest;
    const req = send(
      {
        host: a.connectHost,
        port: a.connectPort,
        method: a.method,
        path: a.path,
        headers: a.headers,
        agent: a.agent,
        setHost: false,
      },
      (res) => {
        const headers = flatHeaders(res);
        const statusCode = res.statusCode ?? 0;
        if (a.streamResponse && statusCode >= 200 && statusCode < 300) {
          settled = true;
          // Cancellation and the idle timeout keep working while the caller reads the body.
          streaming = res;
          res.on('error', () => {}); // consumers see errors through their own listeners
          res.once('close', () => a.signal?.removeEventListener('abort', onAbort));
          resolve({ statusCode, headers, body: Buffer.alloc(0), stream: res });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail(networkError(err, a)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          a.signal?.removeEventListener('abort', onAbort);
          resolve({ statusCode, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    a.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(a.timeout, () =>
      fail(
        Object.assign(
          new CosClientError('COS_TIMEOUT', `no answer within ${a.timeout} ms: ${a.method} ${a.path}`),
          { errno: 'COS_TIMEOUT' },
        ),
      ),
    );
    req.on('error', (err: NodeJS.ErrnoException) => fail(networkError(err, a)));
    const body = a.body;
    if (body === undefined) {
      req.end();
    } else if (Buffer.isBuffer(body)) {
      for (let offset = 0; offset < body.length; offset += WRITE_SLICE) {
        const slice = body.subarray(offset, Math.min(body.length, offset + WRITE_SLICE));
        req.write(slice, () => a.onUploadProgress?.(slice.length));
      }
      req.end();
    } else {
      body.on('error', (err) =>
        fail(
          // A file slice reports its own COS_FILE_READ; other streams' failures are wrapped.
          err instanceof CosClientError
            ? err
            : new CosClientError('COS_NETWORK', `reading the request body failed: ${err.message}`, {
                cause: err,
              }),
        ),
      );
      body.on('data', (chunk: Buffer) => {
        a.onBodyChunk?.(chunk);
        if (!req.write(chunk, () => a.onUploadProgress?.(chunk.length))) {
          body.pause();
          req.once('drain', () => body.resume());
        }
      });
      body.on('end', () => req.end());
    }
  });
}
