/** Clients of the same server for benchmarks: ours and the official Node SDK. */
import { createRequire } from 'node:module';
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEV_KEY, REGION } from './signed-request.js';

export function coskitClient(port: number): CosS3Client {
  return new CosS3Client(
    new CosConfig({
      Region: REGION,
      SecretId: DEV_KEY.secretId,
      SecretKey: DEV_KEY.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: port,
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: the official SDK ships untyped JS
export type OfficialCos = any;

export function officialClient(port: number, options: Record<string, unknown> = {}): OfficialCos {
  const require = createRequire(import.meta.url);
  const COS = require('cos-nodejs-sdk-v5') as new (o: Record<string, unknown>) => OfficialCos;
  return new COS({
    SecretId: DEV_KEY.secretId,
    SecretKey: DEV_KEY.secretKey,
    Protocol: 'http:',
    Ip: `127.0.0.1:${port}`,
    KeepAlive: true,
    ...options,
  });
}

/** Promisifies an official SDK call. */
export function officialCall(
  cos: OfficialCos,
  method: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  return new Promise((resolve, reject) =>
    cos[method](params, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data))),
  );
}
