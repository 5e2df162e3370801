import { type Crc64Halves, fromBigInt, toBigInt } from './crc64-value.js';

/**
 * A linear operator on 64-bit CRC registers over GF(2), as 64 rows: row i (at [2i] low half, [2i + 1]
 * high half) is the image of bit i. Halves rather than BigInt keep a combine at ~microseconds.
 */
type Gf2Matrix = Uint32Array;

function timesInto(matrix: Gf2Matrix, lo: number, hi: number, out: Crc64Halves): void {
  let outLo = 0;
  let outHi = 0;
  for (let row = 0; lo !== 0; row++, lo >>>= 1) {
    if (lo & 1) {
      outLo ^= matrix[2 * row]!;
      outHi ^= matrix[2 * row + 1]!;
    }
  }
  for (let row = 32; hi !== 0; row++, hi >>>= 1) {
    if (hi & 1) {
      outLo ^= matrix[2 * row]!;
      outHi ^= matrix[2 * row + 1]!;
    }
  }
  out.lo = outLo >>> 0;
  out.hi = outHi >>> 0;
}

function square(matrix: Gf2Matrix): Gf2Matrix {
  const result = new Uint32Array(128);
  const cell: Crc64Halves = { lo: 0, hi: 0 };
  for (let row = 0; row < 64; row++) {
    timesInto(matrix, matrix[2 * row]!, matrix[2 * row + 1]!, cell);
    result[2 * row] = cell.lo;
    result[2 * row + 1] = cell.hi;
  }
  return result;
}

/**
 * The combine of one reflected CRC whose init and xor-out are all ones (CRC-64/XZ, CRC-64/NVME,
 * CRC-32, CRC-32C): crc(A‖B) = crc(A) advanced over |B| zero bytes, xor crc(B), because init and
 * xor-out cancel out. A 32-bit CRC runs in the low half with the high half of its polynomial 0: its
 * register never leaves the low half. zeroBytes[k] advances a register over 2^k zero bytes; built
 * on demand by squaring, zlib-style, from the one-zero-bit operator, and cached (64 × 1 KiB at most).
 */
export class ReflectedCrcCombiner {
  readonly #polyLo: number;
  readonly #polyHi: number;
  readonly #zeroBytes: Gf2Matrix[] = [];

  /** @param polyHi, polyLo - The reflected polynomial's halves (CRC-32: polyHi 0). */
  constructor(polyHi: number, polyLo: number) {
    this.#polyHi = polyHi >>> 0;
    this.#polyLo = polyLo >>> 0;
  }

  #zeroBytesOperator(k: number): Gf2Matrix {
    const zeroBytes = this.#zeroBytes;
    if (zeroBytes.length === 0) {
      // One zero bit: reg >> 1, xor the polynomial if bit 0 was set.
      let op: Gf2Matrix = new Uint32Array(128);
      op[0] = this.#polyLo;
      op[1] = this.#polyHi;
      for (let row = 1; row < 64; row++) {
        const bit = row - 1;
        if (bit < 32) op[2 * row] = 2 ** bit;
        else op[2 * row + 1] = 2 ** (bit - 32);
      }
      for (let bits = 1; bits < 8; bits *= 2) op = square(op);
      zeroBytes.push(op);
    }
    while (zeroBytes.length <= k) zeroBytes.push(square(zeroBytes[zeroBytes.length - 1]!));
    return zeroBytes[k]!;
  }

  /**
   * The CRC of A‖B from crc(A), crc(B) and |B| (bytes), in O(log |B|) matrix-vector products.
   * `a` is overwritten with the result, which is also returned.
   */
  combine(a: Crc64Halves, b: Crc64Halves, lengthB: bigint): Crc64Halves {
    let remaining = lengthB;
    for (let k = 0; remaining !== 0n; k++, remaining >>= 1n) {
      if (remaining & 1n) timesInto(this.#zeroBytesOperator(k), a.lo, a.hi, a);
    }
    a.lo = (a.lo ^ b.lo) >>> 0;
    a.hi = (a.hi ^ b.hi) >>> 0;
    return a;
  }
}

/** CRC-64/XZ: reflected polynomial 0xC96C5795D7870F42. */
const XZ = new ReflectedCrcCombiner(0xc96c5795, 0xd7870f42);

/** lengthB as a bigint, checked. */
function toLength(lengthB: number | bigint): bigint {
  if (typeof lengthB === 'number') {
    if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
      throw new RangeError(`lengthB must be a non-negative safe integer, got ${lengthB}`);
    }
    return BigInt(lengthB);
  }
  if (typeof lengthB !== 'bigint' || lengthB < 0n || lengthB >= 1n << 64n) {
    throw new RangeError(`lengthB must be a bigint in [0, 2^64), got ${String(lengthB)}`);
  }
  return lengthB;
}

/**
 * CRC-64/XZ of the concatenation A‖B from crc64(A), crc64(B) and B's length, without the data: e.g. the
 * whole-object CRC of a multipart upload from its parts' CRCs. Cost is O(log lengthB) (at most 64
 * matrix-vector products), whatever the length.
 * @param crcA CRC of the first part.
 * @param crcB CRC of the second part.
 * @param lengthB Length of the second part in bytes; a safe integer or a bigint below 2^64.
 * @throws RangeError on a CRC outside [0, 2^64 - 1] or an invalid length.
 */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number | bigint): bigint {
  const a = fromBigInt(crcA, 'crcA');
  const b = fromBigInt(crcB, 'crcB');
  return toBigInt(XZ.combine(a, b, toLength(lengthB)));
}
