import { assertCrc64, MAX_CRC64 } from './crc64-value.js';

/**
 * Formats a CRC-64 value the way COS sends `x-cos-hash-crc64ecma`: unsigned decimal, no leading zeros.
 * @throws RangeError if `crc` is not in [0, 2^64 - 1].
 */
export function crc64ToDecimal(crc: bigint): string {
  assertCrc64(crc);
  return crc.toString(10);
}

/** ASCII digits only; rejects signs, spaces, exponents, hex and empty strings, which BigInt() would accept. */
const DECIMAL_DIGITS = /^[0-9]+$/;

/**
 * Parses the decimal form of `x-cos-hash-crc64ecma`.
 * @returns the CRC as an unsigned 64-bit integer, or undefined if `value` is not a plain decimal integer
 *   in [0, 2^64 - 1] (leading zeros are tolerated).
 */
export function parseCrc64Decimal(value: string): bigint | undefined {
  if (typeof value !== 'string' || !DECIMAL_DIGITS.test(value)) return undefined;
  // 2^64 - 1 has 20 digits; checking the length first keeps absurd inputs from reaching BigInt().
  const significant = value.replace(/^0+(?=.)/, '');
  if (significant.length > 20) return undefined;
  const crc = BigInt(significant);
  return crc <= MAX_CRC64 ? crc : undefined;
}
