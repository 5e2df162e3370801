/**
 * CRC-32 (IEEE) in pure JS for browsers: what `#crc32` resolves to outside Node (package.json
 * `imports`). Node uses zlib's native CRC-32 instead (crc32-node.ts).
 */
import { createCrc32Of } from './crc32-table.js';

const table = createCrc32Of(0xedb88320);

/** Continues a CRC-32 (`previous` is 0 for a fresh one, else a value this function returned). */
export function crc32Update(previous: number, bytes: Uint8Array): number {
  return table(previous, bytes);
}
