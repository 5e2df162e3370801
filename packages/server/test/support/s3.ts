/** S3-dialect test helpers: an `@aws-sdk/client-s3` client for a harness, and raw SigV4 requests. */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { encodeKeyPath, signSigV4Request } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../../src/index.js';
import { type Harness, REGION } from './harness.js';

/** An S3 client on the harness: path style, the server's region, the development key, no retries. */
export function s3Client(h: Harness, over: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: REGION,
    endpoint: `http://127.0.0.1:${h.server.port}`,
    forcePathStyle: true,
    credentials: {
      accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
      secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
    },
    maxAttempts: 1,
    ...over,
  });
}

export interface S3Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
  /** `<Code>` of an error body. */
  readonly code: string | undefined;
}

/**
 * One raw request signed with SigV4 (header form, our protocol signer, `UNSIGNED-PAYLOAD` unless
 * `payloadHash` says otherwise), path style: `/<bucket>/<key>?<query>`.
 */
export function s3Raw(
  h: Harness,
  method: string,
  bucket: string,
  key: string,
  opts: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: Buffer | string;
    payloadHash?: string;
  } = {},
): Promise<S3Raw> {
  const host = `127.0.0.1:${h.server.port}`;
  const pathname = `/${bucket}${key === '' ? '' : `/${key}`}`;
  const signed = signSigV4Request({
    accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
    secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
    region: REGION,
    method,
    pathname,
    query: opts.query,
    headers: { host, ...opts.headers },
    payloadHash: opts.payloadHash,
  });
  const qs = new URLSearchParams(opts.query ?? {}).toString().replace(/\+/g, '%20');
  const path = `/${bucket}${key === '' ? '' : `/${encodeKeyPath(key)}`}${qs ? `?${qs}` : ''}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: h.server.port, method, path, headers: signed.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Source): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** The `sha256` constructor AWS's signer (`@smithy/signature-v4`) asks for: a hash, or an HMAC given a secret. */
export class AwsSha256 {
  readonly #hash;
  constructor(secret?: Source) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Source): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}
