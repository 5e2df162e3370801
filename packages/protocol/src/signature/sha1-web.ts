/**
 * SHA-1 and HMAC-SHA1 for browsers and other non-Node runtimes, from `@noble/hashes` (audited, pure JS).
 * Node resolves `#sha1` to sha1-node.ts instead (package.json `imports`), which is about 4× faster
 * per signature — it matters to a server verifying thousands of requests a second.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lower-case hex SHA-1 of the UTF-8 encoding of `text`. */
export function sha1Hex(text: string): string {
  return bytesToHex(sha1(utf8ToBytes(text)));
}

/** Lower-case hex HMAC-SHA1 of UTF-8 `message` under UTF-8 `key`. */
export function hmacSha1Hex(key: string, message: string): string {
  return bytesToHex(hmac(sha1, utf8ToBytes(key), utf8ToBytes(message)));
}

/** An incremental SHA-1 (for `x-amz-checksum-sha1`): feed bytes as they arrive, read the digest once. */
export interface Sha1Hash {
  update(bytes: Uint8Array): Sha1Hash;
  /** Lower-case hex digest of everything fed so far. Call once. */
  digestHex(): string;
}

/** Starts an incremental SHA-1 (memory: one hash state, about 100 bytes). */
export function createSha1(): Sha1Hash {
  const hash = sha1.create();
  const api: Sha1Hash = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digestHex: () => bytesToHex(hash.digest()),
  };
  return api;
}
