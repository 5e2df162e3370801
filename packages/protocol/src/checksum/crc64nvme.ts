/**
 * CRC-64/NVME, the `x-amz-checksum-crc64nvme` of S3 (reflected polynomial 0x9A6C9329AC4BC9B5, init and
 * xor-out all ones; check value of "123456789" = 0xAE8B14860A799888). Pure JS on two 32-bit halves with
 * one 256-entry table per half (4 KiB), so it runs in browsers too. Not the CRC-64/XZ of COS
 * (`crc64/`): a different polynomial.
 */

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** An incremental CRC-64/NVME. */
export interface Crc64Nvme {
  update(bytes: Uint8Array): void;
  /** The 8 big-endian bytes of the CRC of everything fed so far. */
  digest(): Uint8Array;
}

/** Starts a CRC-64/NVME (memory: two numbers). */
export function createCrc64Nvme(): Crc64Nvme {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  return {
    update(bytes) {
      let h = hi;
      let l = lo;
      for (let i = 0; i < bytes.length; i++) {
        const idx = (l ^ bytes[i]!) & 0xff;
        l = ((l >>> 8) | (h << 24)) ^ TABLE_LO[idx]!;
        h = (h >>> 8) ^ TABLE_HI[idx]!;
      }
      hi = h >>> 0;
      lo = l >>> 0;
    },
    digest() {
      const h = ~hi >>> 0;
      const l = ~lo >>> 0;
      return new Uint8Array([
        h >>> 24,
        (h >>> 16) & 0xff,
        (h >>> 8) & 0xff,
        h & 0xff,
        l >>> 24,
        (l >>> 16) & 0xff,
        (l >>> 8) & 0xff,
        l & 0xff,
      ]);
    },
  };
}
