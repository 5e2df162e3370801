/**
 * The checks every backend's ingest applies to a request body, in this order: the declared length
 * against the operation's limit (before a byte is read), the streamed size against the limit (while
 * reading), then the declared length (IncompleteBody) and Content-MD5 (BadDigest) once it is all in.
 * MD5 and CRC-64 are computed on the way, for the ETag and `x-cos-hash-crc64ecma`.
 */
import { createHash, type Hash } from 'node:crypto';
import { Crc64 } from '@coskit/protocol';
import type { IncomingBody } from './store.js';
import { StoreError } from './store-error.js';

/** Refuses a body whose declared length is over `maxSize`, before reading it. */
export function checkDeclaredLength(body: IncomingBody, maxSize: number): void {
  const length = body.declaredLength;
  if (length !== undefined && length > maxSize) {
    throw new StoreError(
      'EntityTooLarge',
      `The body is ${length} bytes; at most ${maxSize} are allowed here.`,
    );
  }
}

/** MD5 + CRC-64 + size of the bytes seen, refusing more than `maxSize` of them. */
export class BodyDigest {
  readonly #md5: Hash = createHash('md5');
  readonly #crc = new Crc64();
  size = 0;

  constructor(readonly maxSize: number) {}

  /** Counts and hashes one chunk; throws EntityTooLarge past the limit. */
  update(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxSize)
      throw new StoreError('EntityTooLarge', `The body exceeds ${this.maxSize} bytes.`);
    this.#md5.update(chunk);
    this.#crc.update(chunk);
  }

  /** Lowercase hex MD5 and CRC-64 of everything seen (call once). */
  digest(): { md5: string; crc64: bigint } {
    return { md5: this.#md5.digest('hex'), crc64: this.#crc.digest() };
  }
}

/** After the last byte: IncompleteBody if fewer bytes came than declared, BadDigest on an MD5 mismatch. */
export function checkReceived(body: IncomingBody, size: number, md5: string): void {
  if (body.declaredLength !== undefined && size !== body.declaredLength)
    throw new StoreError('IncompleteBody');
  if (body.md5 !== undefined && body.md5 !== md5) throw new StoreError('BadDigest');
}
