/**
 * The pure-JS kernel of a reflected CRC-32: 4 × 256 tables, slicing by 4 (≈235 MB/s under V8). Used for
 * CRC-32C everywhere and for CRC-32 outside Node (crc32-web.ts).
 */

/** 4 × 256 tables of a reflected CRC-32 polynomial (16 KiB). */
function tables(reflectedPolynomial: number): Uint32Array[] {
  const t = [0, 1, 2, 3].map(() => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? reflectedPolynomial ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 4; s++) t[s]![n] = (t[0]![t[s - 1]![n]! & 0xff]! ^ (t[s - 1]![n]! >>> 8)) >>> 0;
  }
  return t;
}

/**
 * The update function of a reflected CRC-32: continues `previous` (0 for a fresh CRC, else a value it
 * returned) over `bytes`. Tables are built on first use (16 KiB).
 */
export function createCrc32Of(reflectedPolynomial: number): (previous: number, bytes: Uint8Array) => number {
  let t: Uint32Array[] | undefined;
  return (previous, bytes) => {
    t ??= tables(reflectedPolynomial);
    const [t0, t1, t2, t3] = t as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    let crc = (previous ^ 0xffffffff) >>> 0;
    let i = 0;
    const n4 = bytes.length - (bytes.length % 4);
    for (; i < n4; i += 4) {
      crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      crc = t3[crc & 0xff]! ^ t2[(crc >>> 8) & 0xff]! ^ t1[(crc >>> 16) & 0xff]! ^ t0[crc >>> 24]!;
    }
    for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
}
