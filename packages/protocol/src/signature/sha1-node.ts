/**
 * SHA-1 and HMAC-SHA1 on Node's native crypto: what `#sha1` resolves to under Node (package.json
 * `imports`). Same contract as sha1-web.ts; a test checks the two agree.
 */
import { createHash, createHmac } from 'node:crypto';

/** Lower-case hex SHA-1 of the UTF-8 encoding of `text`. */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Lower-case hex HMAC-SHA1 of UTF-8 `message` under UTF-8 `key`. */
export function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', key).update(message, 'utf8').digest('hex');
}

/** An incremental SHA-1 (for `x-amz-checksum-sha1`): feed bytes as they arrive, read the digest once. */
export interface Sha1Hash {
  update(bytes: Uint8Array): Sha1Hash;
  /** Lower-case hex digest of everything fed so far. Call once. */
  digestHex(): string;
}

/** Starts an incremental SHA-1 (memory: one hash state, about 100 bytes). */
export function createSha1(): Sha1Hash {
  const hash = createHash('sha1');
  const api: Sha1Hash = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digestHex: () => hash.digest('hex'),
  };
  return api;
}
