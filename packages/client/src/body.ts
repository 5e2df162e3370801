/** Request bodies: what `Body` may be, and its checksums when they are needed. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Crc64, crc64, crc64ToDecimal } from '@coskit/protocol';
import { invalidArgument } from './errors.js';

/** Bytes `[start, end)` of the local file at `path`: `end` is exclusive, offsets in bytes. */
export interface FileSliceBody {
  /** Path of a local regular file. */
  readonly path: string;
  /** First byte sent (0-based). */
  readonly start: number;
  /** One past the last byte sent; `end - start` is the Content-Length. */
  readonly end: number;
}

/**
 * What `Body` / `Data` accept. Buffers, typed arrays, strings and file slices
 * (`{ path, start, end }`, end exclusive; Node only) are replayed on a retry; streams are sent once.
 */
export type BodyInput = Buffer | Uint8Array | string | Readable | FileSliceBody;

/** Opens a file slice for reading (the platform's; see transport/sender.ts). */
export type SliceOpener = (slice: FileSliceBody) => Readable;

export interface PreparedBody {
  readonly body: Buffer | Readable | FileSliceBody;
  /** Known for in-memory bodies and file slices. */
  readonly length: number | undefined;
  /** CRC-64 (decimal) of the body when it was computed up front, for the response check. */
  readonly crc64: string | undefined;
  /** Base64 MD5 when asked for. */
  readonly md5: string | undefined;
}

/** True for a plain `{ path, start, end }` object (not a Buffer or stream). */
export function isFileSliceBody(input: unknown): input is FileSliceBody {
  if (typeof input !== 'object' || input === null) return false;
  if (input instanceof Uint8Array || input instanceof Readable) return false;
  const o = input as Record<string, unknown>;
  return typeof o['path'] === 'string' && 'start' in o && 'end' in o;
}

/** Throws a COS_INVALID_ARGUMENT error (before any I/O) unless `0 <= start <= end` are safe integers. */
function checkFileSlice(slice: FileSliceBody): FileSliceBody {
  const { path, start, end } = slice;
  if (path === '') throw invalidArgument('a file slice Body needs a path to a local file.');
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw invalidArgument(
      `a file slice Body needs integer offsets with 0 <= start <= end (end exclusive); got start ${start}, end ${end}.`,
    );
  }
  return slice;
}

/**
 * Normalises a `Body` and computes the digests asked for. A file slice is read once to hash it
 * only when `wantMd5` is set (Content-MD5 must precede the bytes); its CRC-64 is otherwise computed
 * by the transport while it is sent.
 */
export async function prepareBody(
  input: unknown,
  wantMd5: boolean,
  wantCrc: boolean,
  openSlice: SliceOpener | undefined,
): Promise<PreparedBody> {
  if (isFileSliceBody(input)) {
    const slice = checkFileSlice(input);
    if (!openSlice) throw invalidArgument('a file slice Body needs a file system (Node).');
    const length = slice.end - slice.start;
    if (!wantMd5) return { body: slice, length, crc64: undefined, md5: undefined };
    const md5 = createHash('md5');
    const crc = wantCrc ? new Crc64() : undefined;
    for await (const chunk of openSlice(slice)) {
      md5.update(chunk as Buffer);
      crc?.update(chunk as Buffer);
    }
    return { body: slice, length, md5: md5.digest('base64'), crc64: crc?.digestDecimal() };
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

/** An XML request body and the two headers COS requires with one (Content-MD5 is mandatory on several calls). */
export interface XmlRequestBody {
  readonly body: Buffer;
  readonly headers: { readonly 'content-type': 'application/xml'; readonly 'content-md5': string };
}

/** Encodes `xml` (UTF-8) and computes its base64 Content-MD5. */
export function xmlBody(xml: string): XmlRequestBody {
  const body = Buffer.from(xml, 'utf8');
  return {
    body,
    headers: {
      'content-type': 'application/xml',
      'content-md5': createHash('md5').update(body).digest('base64'),
    },
  };
}
