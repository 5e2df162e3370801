/**
 * A CRC-64 value split into unsigned 32-bit halves. The hashing hot path works on this form so that
 * no BigInt is allocated per chunk; {@link toBigInt} and {@link fromBigInt} convert at the API edge.
 */
export interface Crc64Halves {
  /** Bits 0-31, as an unsigned 32-bit integer. */
  lo: number;
  /** Bits 32-63, as an unsigned 32-bit integer. */
  hi: number;
}

/** The largest CRC-64 value, 2^64 - 1. */
export const MAX_CRC64 = 0xffff_ffff_ffff_ffffn;

/** Throws a RangeError unless `crc` is an unsigned 64-bit integer. */
export function assertCrc64(crc: bigint, name = 'crc'): void {
  if (typeof crc !== 'bigint' || crc < 0n || crc > MAX_CRC64) {
    throw new RangeError(`${name} must be a bigint in [0, 2^64 - 1], got ${String(crc)}`);
  }
}

/** Converts through 8 bytes of memory: one BigInt allocation instead of four BigInt operations. */
const scratch = new DataView(new ArrayBuffer(8));

/** Splits a CRC-64 value (checked with {@link assertCrc64}) into halves. */
export function fromBigInt(crc: bigint, name = 'crc'): Crc64Halves {
  assertCrc64(crc, name);
  scratch.setBigUint64(0, crc);
  return { hi: scratch.getUint32(0), lo: scratch.getUint32(4) };
}

/** Joins halves back into a CRC-64 value. */
export function toBigInt(crc: Crc64Halves): bigint {
  scratch.setUint32(0, crc.hi);
  scratch.setUint32(4, crc.lo);
  return scratch.getBigUint64(0);
}
