/**
 * SHA-256 and HMAC-SHA256 on Node's native crypto: what `#sha256` resolves to under Node (package.json
 * `imports`), for the AWS Signature Version 4 code in sigv4/. Same contract as sha256-web.ts; a test
 * checks the two agree byte for byte.
 */
import { createHash, createHmac } from 'node:crypto';

/** An incremental SHA-256: feed bytes as they arrive, read the digest once at the end. */
export interface Sha256Hash {
  /** Adds bytes to the hash; returns the same object. */
  update(bytes: Uint8Array): Sha256Hash;
  /** Lower-case hex digest of everything fed so far. Call once. */
  digestHex(): string;
}

/** Lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Starts an incremental SHA-256 (memory: one hash state, about 100 bytes). */
export function createSha256(): Sha256Hash {
  const hash = createHash('sha256');
  const api: Sha256Hash = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digestHex: () => hash.digest('hex'),
  };
  return api;
}

/** HMAC-SHA256 of UTF-8 `message` under `key` (a string key is taken as UTF-8): 32 bytes. */
export function hmacSha256(key: string | Uint8Array, message: string): Uint8Array {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

/** {@link hmacSha256} as lower-case hex. */
export function hmacSha256Hex(key: string | Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}
