/**
 * A request body that is a byte range of a local file. Unlike a stream it can be opened again, so
 * the transport replays it on a retry, and it can be hashed (Content-MD5) before it is sent without
 * holding it in memory.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Crc64 } from '@coskit/protocol';
import { CosClientError, invalidArgument } from './errors.js';

/** Bytes `[start, end)` of the file at `path`: `end` is exclusive, offsets in bytes. */
export interface FileSliceBody {
  /** Path of a local regular file. */
  readonly path: string;
  /** First byte sent (0-based). */
  readonly start: number;
  /** One past the last byte sent; `end - start` is the Content-Length. */
  readonly end: number;
}

const READ_CHUNK = 256 * 1024;

/** True for a plain `{ path, start, end }` object (not a Buffer or stream). */
export function isFileSliceBody(input: unknown): input is FileSliceBody {
  if (typeof input !== 'object' || input === null) return false;
  if (input instanceof Uint8Array || input instanceof Readable) return false;
  const o = input as Record<string, unknown>;
  return typeof o['path'] === 'string' && 'start' in o && 'end' in o;
}

/** Throws a COS_INVALID_ARGUMENT error (before any I/O) unless `0 <= start <= end` are safe integers. */
export function checkFileSlice(slice: FileSliceBody): FileSliceBody {
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
 * A fresh stream of the slice's bytes. It fails (instead of ending short) when the file turns out
 * to be shorter than `end`, so a Content-Length is never left unfulfilled; destroying it closes
 * the file.
 */
export function openFileSlice(slice: FileSliceBody): Readable {
  return new FileSliceStream(slice);
}

class FileSliceStream extends Readable {
  #file: FileHandle | undefined;
  #position: number;
  readonly #slice: FileSliceBody;

  constructor(slice: FileSliceBody) {
    super({ highWaterMark: READ_CHUNK });
    this.#slice = slice;
    this.#position = slice.start;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    if (this.#slice.end === this.#slice.start) {
      callback();
      return;
    }
    open(this.#slice.path, 'r').then(
      (file) => {
        this.#file = file;
        callback();
      },
      (err: NodeJS.ErrnoException) => callback(sliceError(this.#slice, err.code ?? err.message, err)),
    );
  }

  override _read(): void {
    const remaining = this.#slice.end - this.#position;
    const file = this.#file;
    if (remaining <= 0 || file === undefined) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, remaining));
    file.read(buffer, 0, buffer.length, this.#position).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.destroy(sliceError(this.#slice, `the file ended at byte ${this.#position}`));
          return;
        }
        this.#position += bytesRead;
        this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      },
      (err: NodeJS.ErrnoException) => this.destroy(sliceError(this.#slice, err.code ?? err.message, err)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.#file;
    this.#file = undefined;
    if (file === undefined) callback(error);
    else
      file.close().then(
        () => callback(error),
        () => callback(error),
      );
  }
}

function sliceError(slice: FileSliceBody, reason: string, cause?: unknown): CosClientError {
  return new CosClientError(
    'COS_FILE_READ',
    `cannot read bytes ${slice.start}-${slice.end} of "${slice.path}": ${reason}`,
    { cause },
  );
}

/** Digests of a slice, read once in chunks (never whole in memory). */
export async function hashFileSlice(
  slice: FileSliceBody,
  want: { md5: boolean; crc64: boolean },
): Promise<{ md5: string | undefined; crc64: string | undefined }> {
  const md5 = want.md5 ? createHash('md5') : undefined;
  const crc = want.crc64 ? new Crc64() : undefined;
  if (md5 || crc) {
    for await (const chunk of openFileSlice(slice)) {
      md5?.update(chunk as Buffer);
      crc?.update(chunk as Buffer);
    }
  }
  return { md5: md5?.digest('base64'), crc64: crc?.digestDecimal() };
}
