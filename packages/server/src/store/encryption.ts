/**
 * Server-side encryption at rest, shared by every backend: SSE-COS (a server key) and SSE-C (the
 * customer's key, which travels with each request and is never stored).
 *
 * Each blob is encrypted on its own with AES-256-CTR under a key of its own, derived from the root
 * key (the server's or the customer's) and a random 16-byte nonce kept in the blob's segment
 * record: `blobKey = HMAC-SHA256(root, "coskit-sse-blob-v1" ‖ nonce)`. The CTR counter starts at
 * 0 at the blob's first byte, so byte `o` is at counter `⌊o / 16⌋`, offset `o mod 16`: a range GET
 * decrypts from any offset without reading what comes before. Ciphertext is exactly as long as
 * the plaintext, so sizes and offsets of segments do not change. Why CTR and not GCM, and what it
 * costs, is in docs/PROTOCOL-DECISIONS.md ("Server-side encryption").
 *
 * ETag and CRC-64 are those of the plaintext (the store hashes before it encrypts).
 */
import { createCipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { StoreError } from './store-error.js';

/** AES-256 key length, bytes (a customer key must be exactly this long). */
export const SSE_KEY_BYTES = 32;
const NONCE_BYTES = 16;
const BLOCK_BYTES = 16;
const BLOB_KEY_LABEL = Buffer.from('coskit-sse-blob-v1');

/** What a write asks for. */
export type EncryptionRequest =
  | { readonly type: 'SSE-COS' }
  | {
      readonly type: 'SSE-C';
      /** The customer's 32-byte key (already checked against its MD5 by the caller). */
      readonly key: Buffer;
    };

/** What an object or upload record keeps about its encryption (never a key). */
export type StoredEncryption =
  | {
      readonly type: 'SSE-COS';
      /** {@link ServerKey.id} of the key that encrypted it: a server with another key refuses to read. */
      readonly keyId: string;
    }
  | {
      readonly type: 'SSE-C';
      /** Hex, 16 random bytes. */
      readonly salt: string;
      /** Hex HMAC-SHA256(salt, customer key): checks a key without being able to recover it. */
      readonly keyHmac: string;
    };

/** The server's SSE-COS root key. */
export interface ServerKey {
  /** 32 bytes. */
  readonly key: Buffer;
  /** First 16 hex digits of SHA-256-HMAC(key, "coskit-sse-key-id"): names the key in records. */
  readonly id: string;
}

export function serverKeyOf(key: Buffer): ServerKey {
  if (key.byteLength !== SSE_KEY_BYTES) throw new Error(`an SSE-COS key must be ${SSE_KEY_BYTES} bytes`);
  return { key, id: createHmac('sha256', key).update('coskit-sse-key-id').digest('hex').slice(0, 16) };
}

/** A fresh random key (the memory store's, or the first one of a data directory). */
export function newServerKey(): ServerKey {
  return serverKeyOf(randomBytes(SSE_KEY_BYTES));
}

function hmacOf(salt: Buffer, key: Buffer): Buffer {
  return createHmac('sha256', salt).update(key).digest();
}

/** The record of a new write's encryption. `serverKey` is needed only for SSE-COS. */
export function storedEncryptionFor(
  request: EncryptionRequest,
  serverKey: () => ServerKey,
): StoredEncryption {
  if (request.type === 'SSE-COS') return { type: 'SSE-COS', keyId: serverKey().id };
  const salt = randomBytes(16);
  return { type: 'SSE-C', salt: salt.toString('hex'), keyHmac: hmacOf(salt, request.key).toString('hex') };
}

/** Whether `key` is the customer key `stored` was written with. */
export function customerKeyMatches(stored: StoredEncryption & { type: 'SSE-C' }, key: Buffer): boolean {
  const expected = Buffer.from(stored.keyHmac, 'hex');
  const actual = hmacOf(Buffer.from(stored.salt, 'hex'), key);
  return expected.byteLength === actual.byteLength && timingSafeEqual(expected, actual);
}

/**
 * The rule for reading (GET, HEAD, a copy source, the target of Upload Part): an SSE-C object or
 * upload needs its key — none is `400 InvalidRequest`, another one `403 AccessDenied`; a key for
 * something that is not SSE-C is `400 InvalidRequest`. SSE-COS and plain objects need nothing.
 */
export function checkCustomerKey(
  stored: StoredEncryption | undefined,
  key: Buffer | undefined,
  what: 'object' | 'upload' | 'copy source' = 'object',
): void {
  if (stored?.type === 'SSE-C') {
    if (!key) {
      throw new StoreError(
        'InvalidRequest',
        `The ${what} was stored with a customer-provided key (SSE-C): send the x-cos-${what === 'copy source' ? 'copy-source-' : ''}server-side-encryption-customer-* headers.`,
      );
    }
    if (!customerKeyMatches(stored, key)) {
      throw new StoreError(
        'AccessDenied',
        `The customer-provided key is not the one the ${what} was stored with.`,
      );
    }
    return;
  }
  if (key) {
    throw new StoreError(
      'InvalidRequest',
      `The ${what} is not stored with a customer-provided key; the SSE-C headers are not applicable to it.`,
    );
  }
}

/**
 * The root key of a stored object or upload, or undefined if it is stored in the clear. SSE-C:
 * `customerKey` (checked by {@link checkCustomerKey} beforehand). SSE-COS: the server's key, which
 * must be the one it was written with (else {@link foreignServerKey}: the key file was replaced).
 */
export function rootKeyOf(
  stored: StoredEncryption | undefined,
  serverKey: () => ServerKey,
  customerKey: Buffer | undefined,
): Buffer | undefined {
  if (!stored) return undefined;
  if (stored.type === 'SSE-C') {
    if (!customerKey) throw new StoreError('InvalidRequest', 'The object needs its customer-provided key.');
    return customerKey;
  }
  const server = serverKey();
  if (server.id !== stored.keyId) throw foreignServerKey();
  return server.key;
}

/**
 * The answer for an SSE-COS object or upload whose server key this server does not hold (its key
 * file was replaced or lost): `403 InvalidObjectState`, the data being unusable in its current state
 * rather than the request being wrong; no key id is named (the server logs the count at startup).
 */
export function foreignServerKey(): StoreError {
  return new StoreError(
    'InvalidObjectState',
    'The object is encrypted with SSE-COS under a server key this server does not have: its SSE-COS key file was replaced or lost since. Restore the key file it was written with (coskit serve --sse-key-file) to read it.',
  );
}

/** A nonce for a new encrypted blob (hex, kept in its segment). */
export function newBlobNonce(): string {
  return randomBytes(NONCE_BYTES).toString('hex');
}

/** Turns plaintext into ciphertext (or back: CTR is its own inverse), chunk by chunk, in order. */
export interface BlobCipher {
  update(chunk: Uint8Array): Buffer;
}

/**
 * The cipher of blob `nonce` positioned at byte `offset` of the blob: its first `update` turns
 * bytes `offset…` of one side into the other. Memory: a few hundred bytes.
 */
export function blobCipher(root: Buffer, nonce: string, offset = 0): BlobCipher {
  const blobKey = createHmac('sha256', root)
    .update(BLOB_KEY_LABEL)
    .update(Buffer.from(nonce, 'hex'))
    .digest();
  const counter = Buffer.alloc(BLOCK_BYTES);
  counter.writeBigUInt64BE(BigInt(Math.floor(offset / BLOCK_BYTES)), 8);
  const cipher = createCipheriv('aes-256-ctr', blobKey, counter);
  const skip = offset % BLOCK_BYTES;
  if (skip > 0) cipher.update(Buffer.alloc(skip));
  return { update: (chunk) => cipher.update(chunk) };
}

/**
 * Whether a copy may share the source's blobs as they are: the target is to be stored exactly as
 * the source is (both plain, both SSE-COS under this server's key, or SSE-C with the key the
 * source was written with). Otherwise the copy decrypts and re-encrypts: a real byte copy.
 */
export function copyCanShare(
  source: StoredEncryption | undefined,
  target: EncryptionRequest | undefined,
  serverKey: () => ServerKey,
): boolean {
  if (!source || !target) return !source && !target;
  if (source.type === 'SSE-COS') return target.type === 'SSE-COS' && source.keyId === serverKey().id;
  return target.type === 'SSE-C' && customerKeyMatches(source, target.key);
}

/** Decrypts (or encrypts) a stream of one blob's bytes starting at `offset`. */
export async function* throughCipher(
  source: AsyncIterable<Uint8Array>,
  cipher: BlobCipher,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield cipher.update(chunk);
}
