/**
 * The server-side encryption headers of a request, read once: what a write asks for
 * (`x-cos-server-side-encryption: AES256` = SSE-COS, or the SSE-C triple), the SSE-C key a read
 * brings (also the copy source's, `x-cos-copy-source-server-side-encryption-customer-*`), and the
 * headers an answer echoes. What the store does with them is `store/encryption.ts`.
 *
 * COS answers SSE-C only over HTTPS. `coskit serve` speaks plain HTTP, so it accepts an SSE-C key
 * from a loopback peer (the key never leaves the machine), or from anywhere when the server is
 * started with `allowSseCustomerOverHttp` (`--allow-sse-c-over-http`: behind a TLS-terminating
 * proxy); otherwise `400 InvalidRequest`, as COS answers an SSE-C request over HTTP.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { REQUEST_HEADERS, RESPONSE_HEADERS, SSE_ALGORITHM } from '@coskit/protocol';
import { type EncryptionRequest, SSE_KEY_BYTES, type StoredEncryption } from '../store/encryption.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

/** The three headers of an SSE-C key: the request's own, or its copy source's. */
const CUSTOMER_HEADERS = {
  own: {
    algorithm: REQUEST_HEADERS.sseCustomerAlgorithm,
    key: REQUEST_HEADERS.sseCustomerKey,
    md5: REQUEST_HEADERS.sseCustomerKeyMD5.toLowerCase(),
  },
  copySource: {
    algorithm: REQUEST_HEADERS.copySourceSseCustomerAlgorithm,
    key: REQUEST_HEADERS.copySourceSseCustomerKey,
    md5: REQUEST_HEADERS.copySourceSseCustomerKeyMD5.toLowerCase(),
  },
} as const;

/** An SSE-C key as a request gave it. */
export interface CustomerKey {
  /** 32 bytes. */
  readonly key: Buffer;
  /** Base64 MD5 of the key, as the request sent it (and as answers echo it). */
  readonly md5: string;
}

const present = (v: string | undefined): v is string => v !== undefined && v !== '';

/** Whether the peer is this machine (127.0.0.0/8, ::1, or those as IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * The SSE-C key of the request's own headers (`which: 'own'`) or of its copy source, checked:
 * algorithm `AES256`, a base64 key of 32 bytes, its base64 MD5 matching — each else `400
 * InvalidArgument` — and a secure enough transport (see the file comment). Undefined when none of
 * the three headers is given.
 */
export function customerKeyOf(
  ctx: RequestContext,
  which: 'own' | 'copySource' = 'own',
): CustomerKey | undefined {
  const names = CUSTOMER_HEADERS[which];
  const algorithm = ctx.header(names.algorithm);
  const keyText = ctx.header(names.key);
  const md5 = ctx.header(names.md5);
  if (!present(algorithm) && !present(keyText) && !present(md5)) return undefined;
  if (algorithm !== SSE_ALGORITHM) {
    throw new CosHttpError(
      'InvalidArgument',
      present(algorithm)
        ? `${names.algorithm} must be ${SSE_ALGORITHM}; got "${algorithm}".`
        : `An SSE-C key needs ${names.algorithm}: ${SSE_ALGORITHM}.`,
    );
  }
  if (!present(keyText)) {
    throw new CosHttpError('InvalidArgument', `SSE-C needs the key in ${names.key} (base64 of 32 bytes).`);
  }
  const key = Buffer.from(keyText, 'base64');
  if (key.byteLength !== SSE_KEY_BYTES || key.toString('base64') !== keyText.trim()) {
    throw new CosHttpError(
      'InvalidArgument',
      `${names.key} must be the base64 of a ${SSE_KEY_BYTES}-byte AES-256 key.`,
    );
  }
  if (!present(md5)) {
    throw new CosHttpError('InvalidArgument', `SSE-C needs ${names.md5}: the base64 MD5 of the key.`);
  }
  if (createHash('md5').update(key).digest('base64') !== md5.trim()) {
    throw new CosHttpError('InvalidArgument', `${names.md5} is not the MD5 of the key that was sent.`);
  }
  if (!ctx.config.allowSseCustomerOverHttp && !isLoopbackAddress(ctx.req.socket.remoteAddress)) {
    throw new CosHttpError(
      'InvalidRequest',
      'Requests with a customer-provided key (SSE-C) must be made over a secure connection; this server speaks HTTP and accepts them from loopback only (start it with --allow-sse-c-over-http behind a TLS proxy).',
    );
  }
  return { key, md5: md5.trim() };
}

/**
 * What a write (PUT, POST Object, Initiate, Copy) asks for: SSE-COS, SSE-C, or nothing. `cos/kms`
 * (SSE-KMS) and other values are `400 InvalidArgument`, as is asking for both. `field` reads a
 * POST Object form instead of the headers.
 */
export function encryptionRequestOf(
  ctx: RequestContext,
  field: (name: string) => string | undefined = ctx.header,
): EncryptionRequest | undefined {
  const sse = field(REQUEST_HEADERS.serverSideEncryption);
  const customer = field === ctx.header ? customerKeyOf(ctx) : undefined;
  if (!present(sse)) return customer ? { type: 'SSE-C', key: customer.key } : undefined;
  if (sse !== SSE_ALGORITHM) {
    throw new CosHttpError(
      'InvalidArgument',
      sse === 'cos/kms'
        ? 'coskit serve implements SSE-COS (AES256) and SSE-C; SSE-KMS (cos/kms) needs Tencent Cloud KMS.'
        : `${REQUEST_HEADERS.serverSideEncryption} must be ${SSE_ALGORITHM}; got "${sse}".`,
    );
  }
  if (customer) {
    throw new CosHttpError(
      'InvalidArgument',
      `${REQUEST_HEADERS.serverSideEncryption} and a customer-provided key (SSE-C) cannot be combined.`,
    );
  }
  return { type: 'SSE-COS' };
}

/**
 * The headers an answer carries for an object or part stored as `stored` says: SSE-COS
 * `x-cos-server-side-encryption: AES256`; SSE-C the algorithm and, when the request sent the key,
 * its MD5 (Complete has no key, and the server keeps no digest of it to echo).
 */
export function sseResponseHeaders(
  stored: StoredEncryption | undefined,
  customer?: CustomerKey,
): Record<string, string> {
  if (!stored) return {};
  if (stored.type === 'SSE-COS') return { [RESPONSE_HEADERS.serverSideEncryption]: SSE_ALGORITHM };
  return {
    [RESPONSE_HEADERS.sseCustomerAlgorithm]: SSE_ALGORITHM,
    ...(customer ? { [RESPONSE_HEADERS.sseCustomerKeyMD5]: customer.md5 } : {}),
  };
}
