/** Reading byte ranges of a local file into reusable buffers, and hashing them. */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Crc64 } from '@coskit/protocol';

/**
 * Reads `[start, end)` of `file` into the front of `buffer` (which must be large enough) and
 * returns that view. Throws if the file is shorter than expected (it changed under us).
 */
export async function readSlice(
  file: FileHandle,
  start: number,
  end: number,
  buffer: Buffer,
): Promise<Buffer> {
  const length = end - start;
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await file.read(buffer, offset, length - offset, start + offset);
    if (bytesRead === 0)
      throw new Error(
        `the file ended at byte ${start + offset}, before ${end}: it changed during the upload`,
      );
    offset += bytesRead;
  }
  return buffer.subarray(0, length);
}

/** CRC-64 (decimal) of bytes. */
export function crc64Of(bytes: Uint8Array): string {
  return new Crc64().update(bytes).digestDecimal();
}

/** MD5 (hex) and CRC-64 (decimal) of bytes (resume verification compares the MD5 with ETags). */
export function digestsOf(bytes: Uint8Array): { md5: string; crc64: string } {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    crc64: new Crc64().update(bytes).digestDecimal(),
  };
}
