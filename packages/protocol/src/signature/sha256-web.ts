/**
 * SHA-256 and HMAC-SHA256 for browsers and other non-Node runtimes, from `@noble/hashes` (audited, pure
 * JS). Node resolves `#sha256` to sha256-node.ts instead (package.json `imports`): native hashing matters
 * to a server that hashes every uploaded byte of a SigV4 request.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** An incremental SHA-256: feed bytes as they arrive, read the digest once at the end. */
export interface Sha256Hash {
  /** Adds bytes to the hash; returns the same object. */
  update(bytes: Uint8Array): Sha256Hash;
  /** Lower-case hex digest of everything fed so far. Call once. */
  digestHex(): string;
}

const bytesOf = (data: string | Uint8Array): Uint8Array =>
  typeof data === 'string' ? utf8ToBytes(data) : data;

/** Lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(bytesOf(data)));
}

/** Starts an incremental SHA-256 (memory: one hash state, about 200 bytes). */
export function createSha256(): Sha256Hash {
  const hash = sha256.create();
  const api: Sha256Hash = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digestHex: () => bytesToHex(hash.digest()),
  };
  return api;
}

/** HMAC-SHA256 of UTF-8 `message` under `key` (a string key is taken as UTF-8): 32 bytes. */
export function hmacSha256(key: string | Uint8Array, message: string): Uint8Array {
  return hmac(sha256, bytesOf(key), utf8ToBytes(message));
}

/** {@link hmacSha256} as lower-case hex. */
export function hmacSha256Hex(key: string | Uint8Array, message: string): string {
  return bytesToHex(hmacSha256(key, message));
}
