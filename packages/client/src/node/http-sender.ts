/**
 * The `node:http` / `node:https` {@link Sender}: one HTTP exchange on a keep-alive socket. It writes
 * the body (reporting bytes as they are flushed), reads the answer and maps every socket failure to
 * a `CosClientError`. No retries here (see transport/request.ts).
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CosClientError } from '../errors.js';
import type { Attempt, AttemptResult, Sender } from '../transport/sender.js';

/** Bytes handed to the socket per write: the grain of upload progress. */
const WRITE_SLICE = 256 * 1024;
/** Slices handed over and not yet taken by the socket: enough to keep it busy, few enough to count. */
const SLICES_IN_FLIGHT = 2;

/**
 * Writes a Buffer body in slices, handing the next one over only as the socket takes one, so the
 * progress callback moves with the socket. Writing all slices at once would queue them in one
 * batch whose callbacks all fire when the last byte leaves: a part-sized jump.
 */
function writeSlices(
  req: ClientRequest,
  body: Buffer,
  onProgress: ((bytes: number) => void) | undefined,
): void {
  let offset = 0;
  let inFlight = 0;
  const pump = () => {
    while (inFlight < SLICES_IN_FLIGHT && offset < body.length && !req.destroyed) {
      const slice = body.subarray(offset, Math.min(body.length, offset + WRITE_SLICE));
      offset += slice.length;
      inFlight++;
      req.write(slice, (err) => {
        inFlight--;
        if (err) return; // the request's 'error' reports it
        onProgress?.(slice.length);
        pump();
      });
    }
    if (offset >= body.length && inFlight === 0 && !req.writableEnded) req.end();
  };
  pump();
}

/** Keep-alive agents for both schemes, `maxSockets` connections per host each. */
export class NodeHttpSender implements Sender {
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;

  constructor(maxSockets: number) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 15_000 };
    this.#http = new HttpAgent(options);
    this.#https = new HttpsAgent(options);
  }

  send(attempt: Attempt): Promise<AttemptResult> {
    return sendAttempt(attempt, attempt.scheme === 'https' ? this.#https : this.#http);
  }

  destroy(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
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

function sendAttempt(a: Attempt, agent: HttpAgent): Promise<AttemptResult> {
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
        agent,
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
    const input = a.body;
    if (input === undefined) {
      req.end();
    } else if (input instanceof Uint8Array) {
      const bytes = Buffer.isBuffer(input)
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      writeSlices(req, bytes, a.onUploadProgress);
    } else {
      // A Blob is read as a web stream; other async iterables of bytes become a Readable.
      const body =
        input instanceof Readable
          ? input
          : input instanceof Blob
            ? Readable.fromWeb(input.stream() as WebReadableStream<Uint8Array>)
            : Readable.from(input, { objectMode: false });
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
