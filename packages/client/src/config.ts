/**
 * `CosConfig`, as in the seed: where requests go and with which key. Defaults target real COS
 * (`https://<bucket>.cos.<region>.myqcloud.com`); `IP`/`Port` (as the Python SDK) connect to another
 * address — e.g. `coskit serve` — while keeping the real COS Host, and `ForcePathStyle` sends
 * `/<bucket>/<key>` paths to a plain endpoint.
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport/retry.js';

/** Keys for one request; `Token` marks temporary (STS) keys. */
export interface Credentials {
  SecretId: string;
  SecretKey: string;
  Token?: string | undefined;
  /** When these keys stop working (ms since epoch); the provider is asked again 60 s before. */
  ExpiredTime?: number | undefined;
}

/** Supplies keys that rotate (STS); called when none are cached or they are about to expire. */
export type CredentialsProvider = () => Promise<Credentials>;

/**
 * What `getAuthorization` is asked to sign: the request as it will be sent (the fields of
 * cos-js-sdk-v5's `getAuthorization` options).
 */
export interface AuthorizationRequest {
  Bucket: string | undefined;
  Region: string | undefined;
  /** Lower-case HTTP method. */
  Method: string;
  /** Decoded path the signature covers, with its leading `/` (`/<key>`, or `/<bucket>/<key>` path style). */
  Pathname: string;
  /** Decoded object key ('' for bucket-level calls). */
  Key: string;
  /** Query parameters the request sends (sign them all). */
  Query: Record<string, string>;
  /** Headers the request sends, lower-case names, `host` included (sign at least `host`). */
  Headers: Record<string, string>;
}

/**
 * A backend's answer to `getAuthorization`: the Authorization of this one request (q-sign, e.g.
 * from `signRequest` of `@coskit/protocol` or COS's STS-side signing), or temporary keys
 * (`TmpSecretId`, `TmpSecretKey`, `SecurityToken`, `ExpiredTime` in Unix seconds) that the SDK
 * signs with and caches until 60 s before `ExpiredTime`.
 */
export type AuthorizationResult =
  | { Authorization: string; SecurityToken?: string; XCosSecurityToken?: string }
  | {
      TmpSecretId: string;
      TmpSecretKey: string;
      SecurityToken?: string;
      XCosSecurityToken?: string;
      /** Unix seconds. */
      ExpiredTime: number;
      StartTime?: number;
    };

/**
 * Asks the page's backend to sign (a page must never hold a permanent key): return the answer, or
 * pass it to `callback` as cos-js-sdk-v5 pages do.
 */
export type GetAuthorization =
  | ((request: AuthorizationRequest) => Promise<AuthorizationResult>)
  | ((request: AuthorizationRequest, callback: (result: AuthorizationResult) => void) => void);

export interface CosConfigOptions {
  /** Region of the buckets, e.g. `ap-guangzhou`. Required unless `Domain` is set. */
  Region?: string;
  /** API key id (CAM console). Required unless `Credentials` is given. */
  SecretId?: string;
  /** API key secret; only ever used to sign, never sent. Required unless `Credentials` is given. */
  SecretKey?: string;
  /**
   * Temporary-key token, sent as `x-cos-security-token` (signed). `null` or `''` = none (the
   * seed's `Token=None` for permanent keys).
   */
  Token?: string | null;
  /** Rotating keys instead of SecretId/SecretKey/Token. */
  Credentials?: CredentialsProvider;
  /**
   * For web pages: the backend signs each request, or hands out temporary keys, instead of keys in
   * the page (cos-js-sdk-v5's option of the same name). Replaces SecretId/SecretKey/Credentials.
   */
  getAuthorization?: GetAuthorization;
  /** `https` (default) or `http`. */
  Scheme?: 'http' | 'https';
  /** Endpoint suffix: host = `<Bucket>.<Endpoint>`. Default `cos.<Region>.myqcloud.com`. */
  Endpoint?: string;
  /** A custom domain bound to one bucket: host = `Domain`, no bucket in host or path. */
  Domain?: string;
  /** Connect to this address instead of resolving the host (the Host header stays the COS host). */
  IP?: string;
  /** Port to connect to. Default 443 for https, 80 for http. */
  Port?: number;
  /** Send `/<bucket>/<key>` paths with Host = the endpoint itself. Default false. */
  ForcePathStyle?: boolean;
  /** Per-request timeout, ms (no response headers in time). Default 30 000. */
  Timeout?: number;
  /** Timeout of Complete Multipart Upload, ms (COS assembles before answering). Default 1 200 000. */
  CompleteTimeout?: number;
  /** Retry policy. Default: 4 attempts, 200 ms → 5 s backoff, 429/5xx/resets/timeouts. */
  Retry?: Partial<RetryPolicy>;
  /** Check `x-cos-hash-crc64ecma` of every upload against the bytes sent. Default true. */
  EnableCRC?: boolean;
  /** Keep-alive sockets per host. Default 64. */
  MaxSockets?: number;
  /** Sign window length, seconds. Default 900. */
  SignExpires?: number;
  /** User-Agent header. Default `coskit-client/<version>`. */
  UserAgent?: string;
  /**
   * Server clock − local clock, ms, added to the signing time (the Node SDK's
   * `SystemClockOffset`). Default 0. Set it when the local clock is known to be off; either way
   * the client re-learns it from the server's `Date` after a `RequestTimeTooSkewed` or
   * `Request has expired` answer.
   */
  ClockOffset?: number;
  /**
   * Called once per request when it ends — answered (any status) or failed after its retries —
   * with what a request log needs (see {@link RequestLogEntry}). For logs such as
   * `coskit --log-file`; exceptions it throws are not caught. Default none.
   */
  OnRequestEnd?: (entry: RequestLogEntry) => void;
}

/** One finished request, for a request log. */
export interface RequestLogEntry {
  readonly method: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** HTTP status of the last attempt; undefined when none answered (network error, abort). */
  readonly status: number | undefined;
  /** `x-cos-request-id` of the last answer. */
  readonly requestId: string | undefined;
  /** From the first attempt to the end, ms. */
  readonly ms: number;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
  /** Why it failed (service code or network error), when it did. */
  readonly error: string | undefined;
}

export const CLIENT_VERSION = '0.1.0';

/** Validated, defaulted configuration. */
export class CosConfig {
  readonly region: string | undefined;
  readonly scheme: 'http' | 'https';
  readonly endpoint: string | undefined;
  readonly domain: string | undefined;
  readonly ip: string | undefined;
  readonly port: number;
  readonly forcePathStyle: boolean;
  readonly timeout: number;
  readonly completeTimeout: number;
  readonly retry: RetryPolicy;
  readonly enableCrc: boolean;
  readonly maxSockets: number;
  readonly signExpires: number;
  readonly userAgent: string;
  /** Initial server − local clock offset, ms. */
  readonly clockOffset: number;
  readonly credentials: CredentialsProvider;
  /** The backend that signs, when set (then `credentials` is not used). */
  readonly getAuthorization: GetAuthorization | undefined;
  readonly onRequestEnd: ((entry: RequestLogEntry) => void) | undefined;

  constructor(options: CosConfigOptions) {
    const o = options ?? {};
    if (o.Scheme !== undefined && o.Scheme !== 'http' && o.Scheme !== 'https') {
      throw new TypeError(`Scheme must be "http" or "https"; got "${o.Scheme}".`);
    }
    if (o.Region !== undefined && !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/i.test(o.Region)) {
      throw new TypeError(`Region "${o.Region}" is not a COS region name like "ap-guangzhou".`);
    }
    if (!o.Region && !o.Domain && !o.Endpoint) {
      throw new TypeError('CosConfig needs Region (or Endpoint / Domain) to know where buckets live.');
    }
    if (o.Port !== undefined && (!Number.isInteger(o.Port) || o.Port < 1 || o.Port > 65535)) {
      throw new TypeError(`Port must be an integer from 1 to 65535; got ${o.Port}.`);
    }
    for (const [name, value] of [
      ['Timeout', o.Timeout],
      ['CompleteTimeout', o.CompleteTimeout],
      ['MaxSockets', o.MaxSockets],
      ['SignExpires', o.SignExpires],
    ] as const) {
      if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
        throw new TypeError(`${name} must be a positive number; got ${value}.`);
      }
    }
    if (o.ClockOffset !== undefined && !Number.isFinite(o.ClockOffset)) {
      throw new TypeError(`ClockOffset must be a finite number of milliseconds; got ${o.ClockOffset}.`);
    }
    this.getAuthorization = undefined;
    if (o.getAuthorization !== undefined) {
      if (typeof o.getAuthorization !== 'function')
        throw new TypeError(
          'getAuthorization must be a function (request, callback) that answers with an Authorization or temporary keys.',
        );
      if (o.SecretKey || o.Credentials)
        throw new TypeError('give getAuthorization or SecretId/SecretKey/Credentials, not both.');
      this.getAuthorization = o.getAuthorization;
      this.credentials = async () => {
        throw new TypeError('keys come from getAuthorization');
      };
    } else if (o.Credentials) {
      if (typeof o.Credentials !== 'function')
        throw new TypeError('Credentials must be an async function returning keys.');
      this.credentials = o.Credentials;
    } else {
      if (!o.SecretId || !o.SecretKey) {
        throw new TypeError(
          'CosConfig needs SecretId and SecretKey (or a Credentials provider, or getAuthorization).',
        );
      }
      if (o.Token !== undefined && o.Token !== null && typeof o.Token !== 'string') {
        throw new TypeError('Token must be a string (the temporary key token), or null for permanent keys.');
      }
      const fixed: Credentials = {
        SecretId: o.SecretId,
        SecretKey: o.SecretKey,
        Token: o.Token || undefined,
      };
      this.credentials = async () => fixed;
    }
    this.region = o.Region;
    this.scheme = o.Scheme ?? 'https';
    this.endpoint = o.Endpoint;
    this.domain = o.Domain;
    this.ip = o.IP;
    this.port = o.Port ?? (this.scheme === 'https' ? 443 : 80);
    this.forcePathStyle = o.ForcePathStyle ?? false;
    this.timeout = o.Timeout ?? 30_000;
    this.completeTimeout = o.CompleteTimeout ?? 1_200_000;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...o.Retry };
    this.enableCrc = o.EnableCRC ?? true;
    this.maxSockets = o.MaxSockets ?? 64;
    this.signExpires = o.SignExpires ?? 900;
    this.userAgent = o.UserAgent ?? `coskit-client/${CLIENT_VERSION}`;
    this.clockOffset = o.ClockOffset ?? 0;
    if (o.OnRequestEnd !== undefined && typeof o.OnRequestEnd !== 'function')
      throw new TypeError('OnRequestEnd must be a function.');
    this.onRequestEnd = o.OnRequestEnd;
  }

  /** Endpoint suffix used for virtual-host requests. */
  get endpointSuffix(): string {
    return this.endpoint ?? `cos.${this.region}.myqcloud.com`;
  }
}
