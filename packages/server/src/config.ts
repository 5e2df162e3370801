/** Server configuration with its defaults. */
import { type CorsRule, checkCorsConfiguration, normalizeCorsConfiguration } from '@coskit/protocol';
import type { Credential } from './http/auth.js';

/**
 * The development key pair used when no credentials are given. It is printed at startup so that
 * nobody mistakes a development server for a protected one.
 */
export const DEVELOPMENT_CREDENTIAL: Credential = {
  secretId: 'AKIDCOSKITDEVELOPMENT0000000000000000',
  secretKey: 'coskit-development-secret-key-000',
};

export interface ServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 9000. */
  readonly port?: number;
  /**
   * Where objects live: `'local'` (durable, under {@link dataDir}) or `'memory'` (nothing on disk,
   * gone when the server closes, isolated per server: for tests). Default `'local'`.
   */
  readonly storage?: StorageKind;
  /** Where blobs and metadata live with `storage: 'local'`. Default `./coskit-data`. */
  readonly dataDir?: string;
  /** Most bytes a `storage: 'memory'` server holds at once (objects, parts, bodies in flight). Default 1 GiB. */
  readonly memoryLimitBytes?: number;
  /** Accepted keys. Default: {@link DEVELOPMENT_CREDENTIAL}. */
  readonly credentials?: readonly Credential[];
  /** Region reported in `x-cos-bucket-region` and Error Resources. Default `ap-guangzhou`. */
  readonly region?: string;
  /** pino log level (`fatal`…`trace`, or `silent`). Default `info`. */
  readonly logLevel?: string;
  /** Where logs go. Default: standard error. */
  readonly logDestination?: NodeJS.WritableStream;
  /**
   * CORS rules for buckets that have no configuration of their own, and for service-level
   * requests (`coskit serve --cors`: see `developmentCorsRule`). Same rules as PUT Bucket cors.
   * Default: none (cross-origin requests get no `Access-Control-*` headers, preflights 403).
   */
  readonly cors?: readonly CorsRule[];
  /**
   * How long POST Object restore takes before an ARCHIVE / DEEP_ARCHIVE object reads, ms (every
   * tier alike). Default 3000; tests set a few ms.
   */
  readonly restoreDelayMs?: number;
  /**
   * Most time a client may take to send a request's header section, from the moment its
   * connection opens or its previous response ends; then `400 RequestTimeout` and the connection
   * closes. Stops slowloris clients. Default 20 000 ms (no SDK needs more than a round trip).
   */
  readonly headersTimeoutMs?: number;
  /**
   * Most time the socket may stay silent while a request is under way: a body that stops arriving
   * (`400 RequestTimeout`, COS's answer) or a download the client stopped reading. The time the
   * server itself takes (fsync, Complete) does not count. There is no limit on a whole request:
   * a 5 GiB body at the smallest `x-cos-traffic-limit` takes hours. Default 120 000 ms; 0 = off.
   */
  readonly requestIdleTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open between requests. Default 65 000 ms: longer
   * than the 60 s idle timeout of common load balancers, so the server never closes first.
   */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Most connections open at once; further ones are closed on accept. Bounds what slow or idle
   * clients can hold (each connection costs a socket and up to ~64 KiB of buffers). Default 1000.
   */
  readonly maxConnections?: number;
  /**
   * Directory of the built web console (`index.html` + `assets/`, what `@coskit/console` builds:
   * its `CONSOLE_DIR`), served at `/_console/`. Read once at start into memory (~100 KiB).
   * Default: none — `/_console/` answers `404 NoSuchBucket`. `coskit serve` passes the console
   * unless `--no-console`.
   */
  readonly consoleDir?: string;
  /**
   * The SSE-COS key file (32 bytes, base64 or raw), created with mode 0600 on the first SSE-COS
   * write if missing. Default: `<dataDir>/sse-cos.key`; a memory server without it uses a random
   * key of its own. Lose it and every SSE-COS object is unreadable.
   */
  readonly sseKeyFile?: string;
  /**
   * Accept SSE-C keys (`x-cos-server-side-encryption-customer-key`) from any peer over plain HTTP,
   * e.g. behind a TLS-terminating proxy. Default false: only from loopback peers (COS requires
   * HTTPS for SSE-C; a key sent over a network in the clear is a leaked key).
   */
  readonly allowSseCustomerOverHttp?: boolean;
}

export type StorageKind = 'local' | 'memory';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly storage: StorageKind;
  readonly dataDir: string;
  readonly memoryLimitBytes: number;
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly usingDevelopmentCredential: boolean;
  readonly region: string;
  readonly logLevel: string;
  readonly cors: readonly CorsRule[];
  readonly restoreDelayMs: number;
  readonly headersTimeoutMs: number;
  readonly requestIdleTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly consoleDir: string | undefined;
  readonly sseKeyFile: string | undefined;
  readonly allowSseCustomerOverHttp: boolean;
}

/** Defaults of the connection limits (see {@link ServerOptions}). */
export const CONNECTION_DEFAULTS = {
  headersTimeoutMs: 20_000,
  requestIdleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 1000,
} as const;

function nonNegativeInteger(name: string, value: number | undefined, fallback: number, min = 0): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) {
    throw new TypeError(`${name} must be an integer ≥ ${min}; got ${value}.`);
  }
  return v;
}

export function resolveConfig(options: ServerOptions): ServerConfig {
  const storage = options.storage ?? 'local';
  if (storage !== 'local' && storage !== 'memory') {
    throw new TypeError(`storage must be 'local' or 'memory'; got ${JSON.stringify(storage)}.`);
  }
  const memoryLimitBytes = options.memoryLimitBytes ?? 1024 ** 3;
  if (!Number.isSafeInteger(memoryLimitBytes) || memoryLimitBytes <= 0) {
    throw new TypeError(`memoryLimitBytes must be a positive integer; got ${memoryLimitBytes}.`);
  }
  let cors: readonly CorsRule[] = [];
  if (options.cors && options.cors.length > 0) {
    const problem = checkCorsConfiguration({ CORSRule: [...options.cors] });
    if (problem) throw new TypeError(`cors: ${problem.message}`);
    cors = normalizeCorsConfiguration({ CORSRule: [...options.cors] }).CORSRule;
  }
  const restoreDelayMs = options.restoreDelayMs ?? 3000;
  if (!Number.isSafeInteger(restoreDelayMs) || restoreDelayMs < 0) {
    throw new TypeError(`restoreDelayMs must be a non-negative integer; got ${restoreDelayMs}.`);
  }
  const creds =
    options.credentials && options.credentials.length > 0 ? options.credentials : [DEVELOPMENT_CREDENTIAL];
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 9000,
    storage,
    dataDir: options.dataDir ?? './coskit-data',
    memoryLimitBytes,
    credentials: new Map(creds.map((c) => [c.secretId, c])),
    usingDevelopmentCredential: !(options.credentials && options.credentials.length > 0),
    region: options.region ?? 'ap-guangzhou',
    logLevel: options.logLevel ?? 'info',
    cors,
    restoreDelayMs,
    headersTimeoutMs: nonNegativeInteger(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      CONNECTION_DEFAULTS.headersTimeoutMs,
      1,
    ),
    requestIdleTimeoutMs: nonNegativeInteger(
      'requestIdleTimeoutMs',
      options.requestIdleTimeoutMs,
      CONNECTION_DEFAULTS.requestIdleTimeoutMs,
    ),
    keepAliveTimeoutMs: nonNegativeInteger(
      'keepAliveTimeoutMs',
      options.keepAliveTimeoutMs,
      CONNECTION_DEFAULTS.keepAliveTimeoutMs,
      1,
    ),
    maxConnections: nonNegativeInteger(
      'maxConnections',
      options.maxConnections,
      CONNECTION_DEFAULTS.maxConnections,
      1,
    ),
    consoleDir: options.consoleDir,
    sseKeyFile: options.sseKeyFile,
    allowSseCustomerOverHttp: options.allowSseCustomerOverHttp ?? false,
  };
}
