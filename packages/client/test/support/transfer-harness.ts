/** A server, a proxy in front of it and a client pointed at the proxy, for transfer tests. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '@coskit/server';
import { CosConfig, CosS3Client } from '../../src/index.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';

export const MiB = 1024 * 1024;

export interface TransferHarness {
  readonly server: RunningServer;
  readonly proxy: CountingProxy;
  /** Talks to the server through the proxy. */
  readonly client: CosS3Client;
  readonly dir: string;
  readonly bucket: string;
  /** Writes `size` random bytes to a new file under `dir`. */
  file(name: string, size: number): Promise<{ path: string; bytes: Buffer }>;
  close(): Promise<void>;
}

export function clientFor(
  port: number,
  extra: Partial<ConstructorParameters<typeof CosConfig>[0]> = {},
): CosS3Client {
  return new CosS3Client(
    new CosConfig({
      Region: 'ap-guangzhou',
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: port,
      Retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
      ...extra,
    }),
  );
}

export async function startTransferHarness(bucket = 'transfer-1250000000'): Promise<TransferHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'coskit-transfer-'));
  const server = await startServer({ port: 0, dataDir: join(dir, 'data'), logLevel: 'silent' });
  const proxy = await startCountingProxy(server.port);
  const client = clientFor(proxy.port);
  await client.createBucket({ Bucket: bucket });
  return {
    server,
    proxy,
    client,
    dir,
    bucket,
    async file(name, size) {
      const bytes = randomBytes(size);
      const path = join(dir, name);
      await writeFile(path, bytes);
      return { path, bytes };
    },
    async close() {
      client.destroy();
      await proxy.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const crcOf = (b: Uint8Array) => crc64ToDecimal(crc64(b));
export const md5Of = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** Reads a whole object. */
export async function readObject(client: CosS3Client, Bucket: string, Key: string): Promise<Buffer> {
  const r = await client.getObject({ Bucket, Key });
  const chunks: Buffer[] = [];
  for await (const c of r.Body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
