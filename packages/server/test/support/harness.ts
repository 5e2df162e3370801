/** Test harness: a real server on a loopback port with a temp data dir, and official SDK clients. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEVELOPMENT_CREDENTIAL,
  type RunningServer,
  type ServerOptions,
  startServer,
} from '../../src/index.js';

const require = createRequire(import.meta.url);

/** The official SDK's constructor (typed loosely: only what the tests call). */
// biome-ignore lint/suspicious/noExplicitAny: the official SDK ships hand-written d.ts we do not model
export type OfficialCos = any;
const COS = require('cos-nodejs-sdk-v5') as new (opts: Record<string, unknown>) => OfficialCos;

export const REGION = 'ap-guangzhou';

export interface Harness {
  readonly server: RunningServer;
  readonly dataDir: string;
  /** Official `cos-nodejs-sdk-v5` pointed at the server (real COS Host header, connection to loopback). */
  readonly cos: OfficialCos;
  /** Another official client with custom options (e.g. wrong key). */
  client(options?: Record<string, unknown>): OfficialCos;
  close(): Promise<void>;
}

export async function startHarness(options: ServerOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-server-test-'));
  const server = await startServer({ port: 0, dataDir, logLevel: 'silent', region: REGION, ...options });
  const client = (extra: Record<string, unknown> = {}) =>
    new COS({
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Protocol: 'http:',
      Ip: `127.0.0.1:${server.port}`,
      ChunkRetryTimes: 0,
      ...extra,
    });
  return {
    server,
    dataDir,
    cos: client(),
    client,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What an official SDK callback received (loosely typed: tests probe arbitrary fields). */
export interface CallResult {
  // biome-ignore lint/suspicious/noExplicitAny: the official SDK's errors and results are untyped JS objects
  err: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  data: any;
}

/** Calls an official SDK method and resolves with `{ err, data }` instead of throwing. */
export function call(cos: OfficialCos, method: string, params: Record<string, unknown>): Promise<CallResult> {
  return new Promise((resolve) => {
    cos[method](params, (err: unknown, data: unknown) => resolve({ err, data }));
  });
}

let counter = 0;
/** A fresh bucket name for each test. */
export function bucketName(): string {
  counter++;
  return `test${process.pid}x${counter}-1250000000`;
}
