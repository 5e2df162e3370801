import { type Crc64Halves, fromBigInt, toBigInt } from './crc64-value.js';
import { crc64ToDecimal } from './decimal.js';
import { updateWithBytes, updateWithString } from './wasm-kernel.js';

/**
 * Incremental CRC-64/XZ hasher (reflected polynomial 0xC96C5795D7870F42, init and xorout all ones), the
 * checksum COS returns in `x-cos-hash-crc64ecma`. Synchronous and allocation-free per update, so it can
 * run inside stream transforms.
 *
 * @example
 * const hash = new Crc64().update(chunk1).update(chunk2);
 * hash.digestDecimal() === response.headers['x-cos-hash-crc64ecma'];
 */
export class Crc64 {
  readonly #crc: Crc64Halves = { lo: 0, hi: 0 };
  #length = 0;

  /** Number of bytes hashed since construction or the last {@link reset} (strings count as UTF-8 bytes). */
  get length(): number {
    return this.#length;
  }

  /** Hashes more data; strings are hashed as their UTF-8 encoding. */
  update(data: Uint8Array | string): this {
    if (typeof data === 'string') {
      this.#length += updateWithString(this.#crc, data);
    } else {
      updateWithBytes(this.#crc, data);
      this.#length += data.length;
    }
    return this;
  }

  /** The CRC of everything hashed so far, as an unsigned 64-bit integer. Does not reset the hasher. */
  digest(): bigint {
    return toBigInt(this.#crc);
  }

  /** The CRC of everything hashed so far in the decimal form of `x-cos-hash-crc64ecma`. */
  digestDecimal(): string {
    return crc64ToDecimal(this.digest());
  }

  /** Forgets all input: back to the CRC of zero bytes (0) and a length of 0. */
  reset(): this {
    this.#crc.lo = 0;
    this.#crc.hi = 0;
    this.#length = 0;
    return this;
  }
}

/** CRC-64/XZ of `data` (strings as UTF-8), as an unsigned 64-bit integer. */
export function crc64(data: Uint8Array | string): bigint {
  return crc64Update(0n, data);
}

/**
 * Continues a CRC: given `previousCrc` = crc64(A), returns crc64(A followed by `data`). Use it to resume
 * hashing from a stored checkpoint value.
 * @throws RangeError if `previousCrc` is not in [0, 2^64 - 1].
 */
export function crc64Update(previousCrc: bigint, data: Uint8Array | string): bigint {
  const crc = fromBigInt(previousCrc, 'previousCrc');
  if (typeof data === 'string') updateWithString(crc, data);
  else updateWithBytes(crc, data);
  return toBigInt(crc);
}
