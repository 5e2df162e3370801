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
  };
}
