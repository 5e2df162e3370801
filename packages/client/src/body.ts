/** Request bodies: what `Body` may be, and its checksums when they are needed. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { invalidArgument } from './errors.js';

/** What `Body` / `Data` accept. Buffers, typed arrays and strings are retried; streams are sent once. */
export type BodyInput = Buffer | Uint8Array | string | Readable;

export interface PreparedBody {
  readonly body: Buffer | Readable;
  /** Known for in-memory bodies. */
  readonly length: number | undefined;
  /** CRC-64 (decimal) of an in-memory body, for the response check. */
  readonly crc64: string | undefined;
  /** Base64 MD5 when asked for. */
  readonly md5: string | undefined;
}

export function prepareBody(input: unknown, wantMd5: boolean, wantCrc: boolean): PreparedBody {
  let body: Buffer | Readable;
  if (Buffer.isBuffer(input)) body = input;
  else if (input instanceof Uint8Array) body = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  else if (typeof input === 'string') body = Buffer.from(input, 'utf8');
  else if (input instanceof Readable) body = input;
  else throw invalidArgument('Body must be a Buffer, Uint8Array, string or readable stream.');
  if (!Buffer.isBuffer(body)) {
    if (wantMd5) {
      throw invalidArgument(
        'EnableMD5 needs an in-memory Body (Buffer/string); hashing a stream first would buffer it whole. Pass ContentMD5 yourself, or use uploadStream.',
      );
    }
    return { body, length: undefined, crc64: undefined, md5: undefined };
  }
  return {
    body,
    length: body.length,
    crc64: wantCrc ? crc64ToDecimal(crc64(body)) : undefined,
    md5: wantMd5 ? createHash('md5').update(body).digest('base64') : undefined,
  };
}
