/** Reading byte ranges of a local file into reusable buffers, and hashing local files. */
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Crc64 } from '@coskit/protocol';
import { CosClientError } from '../errors.js';

/**
 * Reads `[start, end)` of `file` into the front of `buffer` (which must be large enough) and
 * returns that view. Throws COS_FILE_READ if the file is shorter than expected (it changed under us).
 */
export async function readSlice<T extends Uint8Array>(
  file: FileHandle,
  start: number,
  end: number,
  buffer: T,
): Promise<T> {
  const length = end - start;
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await file.read(buffer, offset, length - offset, start + offset);
    if (bytesRead === 0)
      throw new CosClientError(
        'COS_FILE_READ',
        `the file ended at byte ${start + offset}, before ${end}: it changed during the transfer`,
      );
    offset += bytesRead;
  }
  return buffer.subarray(0, length) as T;
}

/** MD5 (hex) and CRC-64 (decimal) of bytes (resume verification compares the MD5 with ETags). */
export function digestsOf(bytes: Uint8Array): { md5: string; crc64: string } {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    crc64: new Crc64().update(bytes).digestDecimal(),
  };
}

/** CRC-64 (decimal, as `x-cos-hash-crc64ecma`) of a whole local file, streamed in 1 MiB reads. */
export async function crc64OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const file = await open(path, 'r');
  try {
    const crc = new Crc64();
    for await (const chunk of file.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) {
      signal?.throwIfAborted();
      crc.update(chunk as Buffer);
    }
    return crc.digestDecimal();
  } finally {
    await file.close();
  }
}
