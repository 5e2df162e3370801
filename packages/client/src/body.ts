/** Request bodies: what `Body` may be, and its checksums when they are needed. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { invalidArgument } from './errors.js';
import { checkFileSlice, type FileSliceBody, hashFileSlice, isFileSliceBody } from './file-slice-body.js';

/**
 * What `Body` / `Data` accept. Buffers, typed arrays, strings and file slices
 * (`{ path, start, end }`, end exclusive) are replayed on a retry; streams are sent once.
 */
export type BodyInput = Buffer | Uint8Array | string | Readable | FileSliceBody;

export interface PreparedBody {
  readonly body: Buffer | Readable | FileSliceBody;
  /** Known for in-memory bodies and file slices. */
  readonly length: number | undefined;
  /** CRC-64 (decimal) of the body when it was computed up front, for the response check. */
  readonly crc64: string | undefined;
  /** Base64 MD5 when asked for. */
  readonly md5: string | undefined;
}

/**
 * Normalises a `Body` and computes the digests asked for. A file slice is read once to hash it
 * only when `wantMd5` is set (Content-MD5 must precede the bytes); its CRC-64 is otherwise computed
 * by the transport while it is sent.
 */
export async function prepareBody(input: unknown, wantMd5: boolean, wantCrc: boolean): Promise<PreparedBody> {
  if (isFileSliceBody(input)) {
    const slice = checkFileSlice(input);
    const length = slice.end - slice.start;
    if (!wantMd5) return { body: slice, length, crc64: undefined, md5: undefined };
    const digests = await hashFileSlice(slice, { md5: true, crc64: wantCrc });
    return { body: slice, length, ...digests };
  }
  let body: Buffer | Readable;
  if (Buffer.isBuffer(input)) body = input;
  else if (input instanceof Uint8Array) body = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  else if (typeof input === 'string') body = Buffer.from(input, 'utf8');
  else if (input instanceof Readable) body = input;
  else
    throw invalidArgument(
      'Body must be a Buffer, Uint8Array, string, readable stream or file slice { path, start, end }.',
    );
  if (!Buffer.isBuffer(body)) {
    if (wantMd5) {
      throw invalidArgument(
        'EnableMD5 needs a Body that can be read twice (Buffer, string or a file slice { path, start, end }); hashing a stream first would buffer it whole. Pass ContentMD5 yourself, or use uploadStream.',
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
