/**
 * The bookkeeping of a folder transfer (uploadDirectory, downloadDirectory, copyDirectory), written
 * once: the folder's byte count across its files (monotonic per file, throttled `onProgress`, one
 * last call), each file's `onFileStart` fired once and its resume/progress events, and the result
 * lists. Memory: one number per file that has reported progress.
 */
import type { ProgressCallback } from './progress.js';

/** One file of the folder as the result lists name it: where it is (path, key, …) and its size. */
export interface FolderFile {
  readonly size: number;
}

/** What a folder transfer returns (the seed's `success_all` and the three lists). */
export interface FolderResult<W extends FolderFile> {
  /** True when no file failed. */
  success_all: boolean;
  succeeded: (Omit<W, 'size'> & { ETag: string; size: number })[];
  skipped: W[];
  failed: (Omit<W, 'size'> & { error: Error })[];
}

/** A folder transfer's per-file events, as its params name them. */
export interface FolderFileEvents<F> {
  /** Once per file, when it is known to go (after any SkipExisting check). */
  onFileStart?: ((file: F) => void) | undefined;
  onFileResume?: ((file: F, reusedBytes: number, totalBytes: number) => void) | undefined;
  onFileProgress?: ((file: F, consumedBytes: number, totalBytes: number) => void) | undefined;
}

/** One file's transfer as the folder sees it: pass `onResume`/`onProgress` to the file's transfer. */
export interface TrackedFile {
  /** Fires `onFileStart` unless it has fired already. */
  start(): void;
  readonly onResume: (reusedBytes: number, totalBytes: number) => void;
  readonly onProgress: (consumedBytes: number, totalBytes: number) => void;
}

/** @typeParam W - how a file is named in the results (e.g. `{ path, key, size }`). */
export class FolderRun<W extends FolderFile> {
  readonly result: FolderResult<W> = { success_all: true, succeeded: [], skipped: [], failed: [] };
  /** Bytes each file has reported so far, by an id of the file (its path or key). */
  readonly #perFile = new Map<string, number>();
  #consumed = 0;
  #lastReport = 0;

  /**
   * @param total - Bytes of every file of the folder.
   * @param onProgress - The folder's progress; none: nothing is reported.
   * @param intervalMs - At most one call per interval, but the last (ms).
   */
  constructor(
    readonly total: number,
    readonly onProgress: ProgressCallback | undefined,
    readonly intervalMs: number,
  ) {}

  /** Calls `onProgress` with the folder's bytes (at most once per interval unless `force`). */
  report(force: boolean): void {
    const now = performance.now();
    if (!this.onProgress || (!force && now - this.#lastReport < this.intervalMs)) return;
    this.#lastReport = now;
    this.onProgress(Math.min(this.#consumed, this.total), this.total);
  }

  /** The file's bytes so far are `bytes` (its transfer's own progress); not reported here. */
  progress(id: string, bytes: number): void {
    this.#consumed += bytes - (this.#perFile.get(id) ?? 0);
    this.#perFile.set(id, bytes);
  }

  /**
   * Follows one file's transfer: its progress counts toward the folder's, and its events reach
   * `events` with `file` — `onFileStart` once, at the first of `start()`, a resume, or progress
   * short of the whole file (a transfer that only reports 100 % may have skipped the file).
   */
  track<F>(id: string, file: F, events: FolderFileEvents<F>): TrackedFile {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      events.onFileStart?.(file);
    };
    return {
      start,
      onResume: (reused, size) => {
        start();
        events.onFileResume?.(file, reused, size);
      },
      onProgress: (bytes, size) => {
        this.progress(id, bytes);
        if (bytes < size || started) {
          start();
          events.onFileProgress?.(file, bytes, size);
        }
        this.report(false);
      },
    };
  }

  /** A file left alone; `counted` also counts its bytes as done (they were never transferred). */
  skipped(id: string, file: W, counted: boolean): void {
    if (counted) this.progress(id, file.size);
    this.result.skipped.push({ ...file });
  }

  /** A file transferred: `size` bytes, now with this ETag. */
  succeeded(file: W, ETag: string, size: number): void {
    const { size: _, ...at } = file;
    this.result.succeeded.push({ ...at, ETag, size } as FolderResult<W>['succeeded'][number]);
  }

  /**
   * A file failed with `err`: its bytes count as done (so the folder still reaches its total) and it
   * joins `failed`. Rethrows when `signal` aborted the run (that ends the whole folder). Returns the
   * error as an Error.
   */
  failed(id: string, file: W, err: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted) throw err;
    const error = err instanceof Error ? err : new Error(String(err));
    this.#consumed += file.size - (this.#perFile.get(id) ?? 0);
    const { size: _, ...at } = file;
    this.result.failed.push({ ...at, error } as FolderResult<W>['failed'][number]);
    this.result.success_all = false;
    return error;
  }
}
