/**
 * The request pipeline every operation goes through: resolve the target, add headers, sign
 * (q-sign, via @coskit/protocol), send on the keep-alive pool, retry by policy, re-sync a skewed
 * clock once, turn COS errors into `CosServiceError`, and check the CRC-64 of what was sent.
 */
import {
  Crc64,
  encodeRfc3986,
  REQUEST_EXPIRED_MESSAGE,
  REQUEST_HEADERS,
  tryParseErrorBody,
} from '@coskit/protocol';
import { type FileSliceBody, isBlob, isFileSliceBody, isReplayable, type RequestBody } from '../body.js';
import type { CosConfig, Credentials } from '../config.js';
import { targetOf } from '../endpoint.js';
import { CosClientError, CosServiceError } from '../errors.js';
import { Authorizer } from './authorizer.js';
import { backoffMs, retryAfterMs, UNPROCESSED_STATUSES, UNSENT_NETWORK_CODES } from './retry.js';
import type { AttemptBody, AttemptResult, FileSliceStream, Platform } from './sender.js';

export interface CosRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Undefined for service-level requests. */
  readonly bucket?: string | undefined;
  /** Decoded key; '' or undefined for bucket-level requests. */
  readonly key?: string | undefined;
  /** Query parameters; '' values are sent bare (`?uploads`). */
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Extra headers; undefined values are dropped. */
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
  /**
   * Bytes, a Blob or a file slice (`{ path, start, end }`, opened afresh for every attempt) are
   * replayable and retried; a stream is sent once.
   */
  readonly body?: RequestBody | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the configured timeout, ms. */
  readonly timeout?: number | undefined;
  /**
   * Bytes of the body flushed to the socket since the last call; before a retry, the bytes of the
   * failed attempt come back as one negative call, so a running sum is always the bytes that count.
   */
  readonly onUploadProgress?: ((bytes: number) => void) | undefined;
  readonly streamResponse?: boolean;
  /** CRC-64 (decimal) of the body sent: checked against `x-cos-hash-crc64ecma` when present. */
  readonly expectCrc64?: string | undefined;
  /**
   * The answer's `x-cos-hash-crc64ecma` is the CRC-64 of exactly this body (PUT Object, Upload
   * Part): a stream body without `expectCrc64` is hashed as it is sent and checked the same way.
   */
  readonly crcOfBody?: boolean;
  /**
   * Send no Authorization (nor security-token header): the request authenticates itself, as a POST
   * Object form does with its policy signature.
   */
  readonly unsigned?: boolean;
  /** Complete / Upload Part - Copy may answer 200 with an `<Error>` body. */
  readonly errorIn200?: boolean;
  /**
   * False for a request that must not run twice (Initiate Multipart Upload: each run creates an
   * upload). It is then retried only when it cannot have been processed: a connection never made,
   * or a 429 / 503 refusal. Default true.
   */
  readonly idempotent?: boolean;
}

/**
 * The one retry layer of the SDK: every request, whatever calls it (a method, a part of
 * `uploadFile`, a range of `downloadFile`), is retried here and only here.
 */
/** What `send` learns about a request as its attempts go (for `OnRequestEnd`). */
interface AttemptStats {
  attempts: number;
  status: number | undefined;
  requestId: string | undefined;
}

export class Transport {
  /** Server time − local time, ms: `ClockOffset` at first, then learned from a skew error. */
  clockOffsetMs: number;
  /** Signs every request: keys held (cached), or the page's backend (`getAuthorization`). */
  readonly authorizer: Authorizer;

  constructor(
    readonly config: CosConfig,
    readonly platform: Platform,
  ) {
    this.clockOffsetMs = config.clockOffset;
    this.authorizer = new Authorizer(config, () => this.clockOffsetMs);
  }

  /** Closes idle keep-alive sockets (lets the process exit promptly). */
  destroy(): void {
    this.platform.sender.destroy();
  }

  /** The current keys, from the cache while they are fresh (also used to sign POST policies). */
  credentials(): Promise<Credentials> {
    return this.authorizer.keys();
  }

  /** Sends `r` with its retries; reports the outcome to `OnRequestEnd` when one is configured. */
  async send(r: CosRequest): Promise<AttemptResult> {
    const log = this.config.onRequestEnd;
    if (!log) return this.#send(r, { attempts: 0, status: undefined, requestId: undefined });
    const stats: AttemptStats = { attempts: 0, status: undefined, requestId: undefined };
    const started = performance.now();
    const end = (error: unknown) =>
      log({
        method: r.method,
        bucket: r.bucket,
        key: r.key,
        status: stats.status,
        requestId: stats.requestId,
        ms: Math.round(performance.now() - started),
        attempts: stats.attempts,
        error:
          error === undefined
            ? undefined
            : String(
                (error as { errorCode?: unknown; code?: unknown }).errorCode ??
                  (error as { code?: unknown }).code ??
                  error,
              ),
      });
    try {
      const result = await this.#send(r, stats);
      end(undefined);
      return result;
    } catch (err) {
      end(err);
      throw err;
    }
  }

  async #send(r: CosRequest, stats: AttemptStats): Promise<AttemptResult> {
    const config = this.config;
    const target = targetOf(config, r.bucket, r.key ?? '', this.platform.controlsConnection !== false);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined) query[k] = String(v);
    const qs = Object.entries(query)
      .map(([k, v]) => (v === '' ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`))
      .join('&');
    const path = qs ? `${target.path}?${qs}` : target.path;
    const extraHeaders = checkedHeaders(r.headers);
    const slice = isFileSliceBody(r.body) ? r.body : undefined;
    const replayable = isReplayable(r.body);
    const policy = config.retry;
    let resynced = false;
    /**
     * Waits before the next attempt, at least what a `Retry-After` asked for; an abort ends the
     * wait early (the loop then sees it).
     */
    const backoff = (attempt: number, retryAfter?: number) =>
      sleep(Math.max(backoffMs(policy, attempt), retryAfter ?? 0), r.signal);
    let sentBefore = 0;
    const progress = r.onUploadProgress;
    for (let attempt = 1; ; attempt++) {
      stats.attempts = attempt;
      if (progress && sentBefore > 0) progress(-sentBefore);
      sentBefore = 0;
      // Also after a backoff that the signal cut short: the caller gets COS_ABORTED, not the reason.
      if (r.signal?.aborted) {
        throw new CosClientError('COS_ABORTED', 'the request was cancelled', { cause: r.signal.reason });
      }
      const headers: Record<string, string> = { host: target.host, 'user-agent': config.userAgent };
      Object.assign(headers, extraHeaders);
      if (r.body instanceof Uint8Array) headers['content-length'] = String(r.body.length);
      else if (isBlob(r.body)) headers['content-length'] = String(r.body.size);
      else if (slice) headers['content-length'] = String(slice.end - slice.start);
      else if (r.body === undefined && (r.method === 'PUT' || r.method === 'POST'))
        headers['content-length'] = '0';
      if (attempt > 1) headers[REQUEST_HEADERS.sdkRetry] = 'true';
      if (!r.unsigned)
        headers['authorization'] = await this.authorizer.authorize({
          method: r.method,
          bucket: r.bucket,
          key: r.key ?? '',
          pathname: target.signedPath,
          query,
          headers,
        });
      // Streams and file slices are hashed as they are sent (afresh on each attempt); bytes and
      // blobs come with expectCrc64.
      const streamHash =
        config.enableCrc &&
        r.crcOfBody &&
        r.expectCrc64 === undefined &&
        r.body &&
        !(r.body instanceof Uint8Array) &&
        !isBlob(r.body)
          ? new Crc64()
          : undefined;
      const sliceStream = slice ? this.#openSlice(slice) : undefined;
      let result: AttemptResult;
      try {
        result = await this.platform.sender.send({
          scheme: config.scheme,
          method: r.method,
          connectHost: target.connectHost,
          connectPort: target.connectPort,
          path,
          headers,
          body: sliceStream ?? (r.body as AttemptBody | undefined),
          timeout: r.timeout ?? config.timeout,
          signal: r.signal,
          onUploadProgress: progress
            ? (n) => {
                sentBefore += n;
                progress(n);
              }
            : undefined,
          onBodyChunk: streamHash ? (chunk) => streamHash.update(chunk) : undefined,
          streamResponse: r.streamResponse ?? false,
        });
      } catch (err) {
        const errno = (err as { errno?: string }).errno;
        if (
          replayable &&
          attempt < policy.maxAttempts &&
          errno !== undefined &&
          policy.networkCodes.includes(errno) &&
          (r.idempotent !== false || UNSENT_NETWORK_CODES.includes(errno))
        ) {
          await backoff(attempt);
          continue;
        }
        throw err;
      } finally {
        // Closes the file when the attempt ended before the slice was read to its end.
        sliceStream?.destroy();
      }
      stats.status = result.statusCode;
      stats.requestId = result.headers['x-cos-request-id'];
      const error = this.#serviceError(r, result, path);
      if (error) {
        const serverDate = Date.parse(result.headers['date'] ?? '');
        if (
          !resynced &&
          !Number.isNaN(serverDate) &&
          isClockError(error, serverDate, Date.now() + this.clockOffsetMs)
        ) {
          resynced = true;
          this.clockOffsetMs = serverDate - Date.now();
          // A stream body is spent: the next call signs with the learned clock, this one fails.
          if (replayable) continue;
        }
        const retryable =
          (policy.statuses.includes(error.statusCode) || policy.errorCodes.includes(error.errorCode)) &&
          (r.idempotent !== false || UNPROCESSED_STATUSES.includes(error.statusCode));
        const retryAfter = retryAfterMs(result.headers['retry-after']);
        if (
          retryable &&
          replayable &&
          attempt < policy.maxAttempts &&
          (retryAfter === undefined || retryAfter <= policy.maxRetryAfterMs)
        ) {
          await backoff(attempt, retryAfter);
          continue;
        }
        throw error;
      }
      const crc = result.headers['x-cos-hash-crc64ecma'];
      const sentCrc = r.expectCrc64 ?? streamHash?.digestDecimal();
      if (sentCrc !== undefined && config.enableCrc && crc !== undefined && crc !== sentCrc) {
        throw new CosClientError(
          'COS_CHECKSUM_MISMATCH',
          `${r.method} ${path}: the server's CRC-64 ${crc} differs from the ${sentCrc} of the bytes sent`,
        );
      }
      return result;
    }
  }

  #openSlice(slice: FileSliceBody): FileSliceStream {
    const open = this.platform.openFileSlice;
    if (!open)
      throw new CosClientError('COS_INVALID_ARGUMENT', 'a file slice Body needs a file system (Node).');
    return open(slice);
  }

  #serviceError(r: CosRequest, result: AttemptResult, path: string): CosServiceError | undefined {
    const { statusCode, headers, body } = result;
    const text = new TextDecoder().decode(body);
    const inBody = statusCode === 200 && r.errorIn200 ? tryParseErrorBody(body) : undefined;
    if (statusCode < 300 && !inBody) return undefined;
    const parsed = inBody ?? (text.includes('<Error') ? tryParseErrorBody(body) : undefined);
    const fallbackCode =
      headers['x-cos-error-code'] ??
      (statusCode === 304 ? 'NotModified' : statusCode === 404 ? 'NoSuchResource' : String(statusCode));
    return new CosServiceError({
      statusCode,
      errorCode: parsed?.Code ?? fallbackCode,
      errorMessage: parsed?.Message ?? (statusCode === 304 ? 'Not Modified' : `HTTP ${statusCode}`),
      resource: parsed?.Resource ?? `${r.bucket ?? ''}/${r.key ?? ''}`,
      requestId: parsed?.RequestId ?? headers['x-cos-request-id'] ?? '',
      traceId: parsed?.TraceId ?? headers['x-cos-trace-id'] ?? '',
      body: text,
      headers,
      method: r.method,
      url: path,
    });
  }
}

/** An HTTP header name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Characters an HTTP header value may not hold: controls other than tab, and anything beyond Latin-1. */
const HEADER_VALUE_FORBIDDEN = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Lower-cases the names and refuses, before any I/O, a header HTTP cannot carry (a name that is
 * not a token, a value with CR/LF or characters beyond Latin-1, such as
 * `ContentDisposition: 'attachment; filename="文件.txt"'` or a Chinese `x-cos-meta-*` value) — the
 * rules Node's HTTP stack and browsers enforce, checked here so both runtimes refuse alike.
 */
function checkedHeaders(input: CosRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    const text = String(value);
    const problem = !HEADER_NAME.test(name)
      ? 'the name is not an HTTP token'
      : HEADER_VALUE_FORBIDDEN.test(text)
        ? 'Invalid character in header content'
        : undefined;
    if (problem) {
      throw new CosClientError(
        'COS_INVALID_ARGUMENT',
        `header "${name}" cannot be sent over HTTP (${problem}); header names must be ` +
          'tokens and values plain Latin-1 text without line breaks: percent-encode other text ' +
          "(encodeURIComponent), e.g. filename*=UTF-8''… in Content-Disposition.",
      );
    }
    out[name.toLowerCase()] = text;
  }
  return out;
}

/** Waits `ms`, ending early (without an error) when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How far the server's `Date` may be from our signing clock before a bodiless 403 is blamed on it. */
const CLOCK_TOLERANCE_MS = 30_000;

function isClockError(e: CosServiceError, serverDate: number, signingNow: number): boolean {
  if (e.errorCode === 'RequestTimeTooSkewed') return true;
  if (e.errorCode === 'AccessDenied' && e.errorMessage.includes(REQUEST_EXPIRED_MESSAGE)) return true;
  // A HEAD error has no body to say "Request has expired": a server clock far from the one we
  // signed with is then the likely cause (the Node SDK uses the same 30 s threshold).
  return (
    e.statusCode === 403 &&
    e.body === '' &&
    (e.errorCode === 'AccessDenied' || e.errorCode === '403') &&
    Math.abs(serverDate - signingNow) > CLOCK_TOLERANCE_MS
  );
}
