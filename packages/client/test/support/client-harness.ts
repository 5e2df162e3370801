/** A coskit server on loopback, a fault proxy in front of it, and clients pointed at either. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, type ServerOptions, startServer } from '@coskit/server';
import { CosConfig, type CosConfigOptions, CosS3Client } from '../../src/index.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

export const REGION = 'ap-guangzhou';
export const { secretId: SECRET_ID, secretKey: SECRET_KEY } = DEVELOPMENT_CREDENTIAL;

export interface ClientHarness {
  readonly server: RunningServer;
  readonly proxy: FaultProxy;
  readonly dir: string;
  /** Talks to the server directly. */
  readonly client: CosS3Client;
  /** Talks to the server through the proxy. */
  readonly proxied: CosS3Client;
  /** A new client (through the proxy unless `direct`), destroyed by `close()`. */
  newClient(extra?: Partial<CosConfigOptions>, direct?: boolean): CosS3Client;
  close(): Promise<void>;
}

export function configFor(port: number, extra: Partial<CosConfigOptions> = {}): CosConfig {
  return new CosConfig({
    Region: REGION,
    SecretId: SECRET_ID,
    SecretKey: SECRET_KEY,
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: port,
    Retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

export async function startClientHarness(options: ServerOptions = {}): Promise<ClientHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'coskit-client-test-'));
  const server = await startServer({ port: 0, dataDir: join(dir, 'data'), logLevel: 'silent', ...options });
  const proxy = await startFaultProxy(server.port);
  const clients: CosS3Client[] = [];
  const newClient = (extra: Partial<CosConfigOptions> = {}, direct = false) => {
    const c = new CosS3Client(configFor(direct ? server.port : proxy.port, extra));
    clients.push(c);
    return c;
  };
  return {
    server,
    proxy,
    dir,
    client: newClient({}, true),
    proxied: newClient(),
    newClient,
    async close() {
      for (const c of clients) c.destroy();
      await proxy.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export const md5Hex = (b: Uint8Array | string) => createHash('md5').update(b).digest('hex');
export const md5Base64 = (b: Uint8Array | string) => createHash('md5').update(b).digest('base64');
export const crcOf = (b: Uint8Array | string) =>
  crc64ToDecimal(crc64(typeof b === 'string' ? Buffer.from(b) : b));

/** Awaits `promise`, expecting it to reject; returns the rejection (fails the test otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Starts recording `uncaughtException` / `unhandledRejection` events: errors must surface from the
 * call that failed, never at process level. Returns the live list.
 */
export function recordStrayErrors(): unknown[] {
  const stray: unknown[] = [];
  const record = (err: unknown) => stray.push(err);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return stray;
}

let counter = 0;
/** A fresh, valid bucket name. */
export function bucketName(label = 'b'): string {
  counter++;
  return `${label}${process.pid}x${counter}-1250000000`;
}

/** The official `cos-nodejs-sdk-v5` constructor (untyped JS). */
// biome-ignore lint/suspicious/noExplicitAny: the official SDK's objects are untyped JS
export type OfficialCos = any;
export const OfficialCOS = createRequire(import.meta.url)('cos-nodejs-sdk-v5') as new (
  opts: Record<string, unknown>,
) => OfficialCos;

/** Calls an official SDK method, resolving with its data or rejecting with its error. */
export function officialCall(cos: OfficialCos, method: string, params: Record<string, unknown>) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    cos[method](params, (err: unknown, data: Record<string, unknown>) => (err ? reject(err) : resolve(data)));
  });
}
