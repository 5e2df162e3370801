/** Server configuration with its defaults. */
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
  /** Where blobs and metadata live. Default `./coskit-data`. */
  readonly dataDir?: string;
  /** Accepted keys. Default: {@link DEVELOPMENT_CREDENTIAL}. */
  readonly credentials?: readonly Credential[];
  /** Region reported in `x-cos-bucket-region` and Error Resources. Default `ap-guangzhou`. */
  readonly region?: string;
  /** pino log level (`fatal`…`trace`, or `silent`). Default `info`. */
  readonly logLevel?: string;
  /** Where logs go. Default: standard error. */
  readonly logDestination?: NodeJS.WritableStream;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly usingDevelopmentCredential: boolean;
  readonly region: string;
  readonly logLevel: string;
}

export function resolveConfig(options: ServerOptions): ServerConfig {
  const creds =
    options.credentials && options.credentials.length > 0 ? options.credentials : [DEVELOPMENT_CREDENTIAL];
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 9000,
    dataDir: options.dataDir ?? './coskit-data',
    credentials: new Map(creds.map((c) => [c.secretId, c])),
    usingDevelopmentCredential: !(options.credentials && options.credentials.length > 0),
    region: options.region ?? 'ap-guangzhou',
    logLevel: options.logLevel ?? 'info',
  };
}
