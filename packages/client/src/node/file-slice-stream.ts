/**
 * Reading a file-slice body `{ path, start, end }` (see body.ts): a fresh stream per attempt, so
 * the transport can replay it on a retry and hash it (Content-MD5) before sending without holding
 * it in memory.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FileSliceBody } from '../body.js';
import { CosClientError } from '../errors.js';

const READ_CHUNK = 256 * 1024;

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
