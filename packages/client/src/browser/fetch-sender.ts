/**
 * The browser's {@link Sender}: `XMLHttpRequest` for requests with a body, since only it reports
 * upload progress byte by byte (`fetch` reports none), and `fetch` for the rest, which can hand a
 * GET Object's body over as a web `ReadableStream`. Connections, keep-alive and HTTP/2 are the
 * browser's. No retries here (see transport/request.ts).
 *
 * What a page cannot do: set `Host`, `Content-Length` or `User-Agent` (the browser sets them; the
 * pipeline signs the Host the URL names, see endpoint.ts) or stream a request body over HTTP/1.1
 * (body.ts refuses a stream Body before any I/O). Response headers are those the bucket's CORS
 * rule exposes (`coskit serve` exposes ETag, x-cos-request-id, x-cos-hash-crc64ecma…).
 */
import { CosClientError } from '../errors.js';
import type { Attempt, AttemptResult, Sender } from '../transport/sender.js';

/** Request headers a page may not set (Fetch standard "forbidden request-header names" we send). */
const BROWSER_SETS = new Set(['host', 'content-length', 'user-agent', 'connection', 'transfer-encoding']);

function urlOf(a: Attempt): string {
  const host = a.connectHost.includes(':') ? `[${a.connectHost}]` : a.connectHost;
  const defaultPort = a.scheme === 'https' ? 443 : 80;
  return `${a.scheme}://${host}${a.connectPort === defaultPort ? '' : `:${a.connectPort}`}${a.path}`;
}

function pageHeaders(a: Attempt): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(a.headers)) if (!BROWSER_SETS.has(name)) out[name] = value;
  return out;
}

function aborted(a: Attempt): CosClientError {
  return new CosClientError('COS_ABORTED', 'the request was cancelled', { cause: a.signal?.reason });
}

function timedOut(a: Attempt): CosClientError {
  return Object.assign(
    new CosClientError('COS_TIMEOUT', `nothing moved for ${a.timeout} ms: ${a.method} ${a.path}`),
    { errno: 'COS_TIMEOUT' },
  );
}

/** A failure the browser does not explain (refused connection, CORS refusal, reset): retryable. */
function networkError(a: Attempt, cause: unknown): CosClientError {
  const detail = cause instanceof Error ? cause.message : 'the browser reported a network error';
  return Object.assign(
    new CosClientError(
      'COS_NETWORK',
      `${a.method} ${urlOf(a)}: ${detail} (a refused connection, or a CORS rule that does not allow this origin, method or header)`,
      { cause },
    ),
    { errno: 'BROWSER_NETWORK' },
  );
}

/** An idle timer: `touch()` on every sign of life; `onIdle` runs after `ms` without one. */
function idleTimer(ms: number, onIdle: () => void): { touch(): void; stop(): void } {
  let timer = setTimeout(onIdle, ms);
  return {
    touch() {
      clearTimeout(timer);
      timer = setTimeout(onIdle, ms);
    },
    stop: () => clearTimeout(timer),
  };
}

function parseXhrHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

/** Sends with XHR, reporting upload progress as the browser hands bytes to the network. */
function sendXhr(a: Attempt): Promise<AttemptResult> {
  return new Promise((resolve, reject) => {
    const body = a.body;
    if (body !== undefined && !(body instanceof Uint8Array) && !(body instanceof Blob)) {
      reject(new CosClientError('COS_INVALID_ARGUMENT', 'a browser cannot stream a request body'));
      return;
    }
    const xhr = new XMLHttpRequest();
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      timer.stop();
      a.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => {
      finish(() => reject(aborted(a)));
      xhr.abort();
    };
    const timer = idleTimer(a.timeout, () => {
      finish(() => reject(timedOut(a)));
      xhr.abort();
    });
    let uploaded = 0;
    xhr.upload.onprogress = (e) => {
      timer.touch();
      if (e.loaded > uploaded) {
        a.onUploadProgress?.(e.loaded - uploaded);
        uploaded = e.loaded;
      }
    };
    xhr.onprogress = () => timer.touch();
    xhr.onerror = (e) => finish(() => reject(networkError(a, e)));
    xhr.onload = () =>
      finish(() => {
        // The last bytes may arrive without a final progress event.
        const size = body instanceof Blob ? body.size : (body?.byteLength ?? 0);
        if (size > uploaded) a.onUploadProgress?.(size - uploaded);
        resolve({
          statusCode: xhr.status,
          headers: parseXhrHeaders(xhr.getAllResponseHeaders()),
          body: new Uint8Array(xhr.response as ArrayBuffer),
        });
      });
    xhr.open(a.method, urlOf(a));
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries(pageHeaders(a))) xhr.setRequestHeader(name, value);
    a.signal?.addEventListener('abort', onAbort, { once: true });
    // Bytes go as a Blob: Chromium sends a Blob from its blob store off the page's thread, while a
    // typed array body held the page's thread for the whole upload (no timer or progress event
    // ran). The copy costs the body's size once more, in the browser's blob storage.
    xhr.send(body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : (body ?? null));
  });
}

/** Sends with fetch; a 2xx GET Object body is handed over as a stream when asked. */
async function sendFetch(a: Attempt): Promise<AttemptResult> {
  const controller = new AbortController();
  let failure: CosClientError | undefined;
  const stop = (why: CosClientError) => {
    failure ??= why;
    controller.abort();
  };
  const onAbort = () => stop(aborted(a));
  a.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = idleTimer(a.timeout, () => stop(timedOut(a)));
  const done = () => {
    timer.stop();
    a.signal?.removeEventListener('abort', onAbort);
  };
  try {
    const res = await fetch(urlOf(a), {
      method: a.method,
      headers: pageHeaders(a),
      body: a.body as Uint8Array<ArrayBuffer> | Blob | undefined,
      signal: controller.signal,
      cache: 'no-store',
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (a.streamResponse && res.status >= 200 && res.status < 300 && res.body) {
      // The caller reads the stream; the signal keeps cancelling it, the idle timer stops here.
      timer.stop();
      return { statusCode: res.status, headers, body: new Uint8Array(0), stream: res.body };
    }
    const body = new Uint8Array(await res.arrayBuffer());
    done();
    return { statusCode: res.status, headers, body };
  } catch (err) {
    done();
    throw failure ?? networkError(a, err);
  }
}

export class BrowserSender implements Sender {
  send(attempt: Attempt): Promise<AttemptResult> {
    if (attempt.signal?.aborted) return Promise.reject(aborted(attempt));
    return attempt.body !== undefined ? sendXhr(attempt) : sendFetch(attempt);
  }

  /** Nothing to close: the browser owns its connections. */
  destroy(): void {}
}
