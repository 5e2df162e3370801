/**
 * `uploadFile` for a web page: a `File` or `Blob` with the same threshold, part size, concurrency,
 * CRC-64 checks and progress contract as in Node (one PUT up to `MultipartThreshold`, the shared
 * multipart engine above it), and a task to `pause()` (parts in flight finish, no new part
 * starts), `resume()` and `cancel()` (requests in flight stop, the upload is aborted on the server
 * and its checkpoint removed). A `File`'s upload is checkpointed in IndexedDB after every part,
 * keyed by its name, size and lastModified and the bucket and key, so that a reload or a crashed
 * tab resumes it (the parts confirmed by List Parts are not sent again).
 *
 * Memory: each worker reads its part through one reused 1 MiB buffer to CRC-64 it (`crc64OfBlob`),
 * and the browser sends the part from its own copy of the file (a `File` from disk is read from
 * disk): the page holds far less than `PartSize × MAXThread` (bench/browser-upload-memory.bench.ts).
 */

import { crc64OfBlob } from '../body.js';
import { CosClientError, invalidArgument } from '../errors.js';
import { completedBefore, initiate, runMultipartUpload } from '../transfer/multipart-upload.js';
import { planParts } from '../transfer/part-plan.js';
import { ProgressTracker } from '../transfer/progress.js';
import type { Semaphore } from '../transfer/semaphore.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { pickObjectHeaders, type TransferOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { versionOf } from '../transfer/upload-result.js';
import { confirmParts, type DoneParts } from '../transfer/upload-resume.js';
import { transferOptions } from '../validation.js';
import { checkpointKey, IndexedDbCheckpoint } from './checkpoint-store.js';

const MiB = 1024 * 1024;

export interface BrowserUploadFileParams extends TransferOptions {
  Bucket: string;
  Key: string;
  /** The file: a `File` (from an input or a drop) or any `Blob`. */
  Body: Blob;
  /** Files at or below this many bytes go as one PUT Object. Default 20 MiB (the seed's 20 MB). */
  MultipartThreshold?: number;
  /**
   * Keep a checkpoint in IndexedDB so that a reload resumes the upload. Default true for a `File`
   * (a plain `Blob` has no name or date to know it again by, so it is never checkpointed).
   */
  Checkpoint?: boolean;
  /** On a failure that spent its retries, abort the upload instead of keeping it resumable. Default false. */
  AbortOnFailure?: boolean;
}

export interface BrowserUploadFileResult {
  ETag: string;
  /** CRC-64 of the whole object, as the server computed it (decimal), checked against the file's. */
  'x-cos-hash-crc64ecma'?: string | undefined;
  Location?: string;
  Bucket: string;
  Key: string;
  /** Present for multipart uploads. */
  UploadId?: string;
  /**
   * The version this upload wrote, in a bucket with versioning (`'null'` when it is suspended);
   * absent otherwise, when a lost answer was recovered, or when the bucket's CORS rule does not
   * expose `x-cos-version-id`.
   */
  VersionId?: string;
  /** Parts this call sent (the rest were resumed). 0 for a single PUT. */
  partsSent: number;
  /** Bytes this call sent. */
  bytesSent: number;
}

/** Where an upload task is. */
export type UploadTaskState = 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/**
 * A running browser upload: await it (it is a promise-like of the result) or its `done`, and
 * steer it with `pause()`, `resume()` and `cancel()`.
 */
export class UploadTask implements PromiseLike<BrowserUploadFileResult> {
  /** Settles with the result, or the error (`COS_ABORTED` after `cancel()`). */
  readonly done: Promise<BrowserUploadFileResult>;
  #state: UploadTaskState = 'running';
  #gate: { promise: Promise<void>; open: () => void } | undefined;
  readonly #stop = new AbortController();
  #cleanup: (() => Promise<void>) | undefined;
  #cancelled: Promise<void> | undefined;

  /** @internal */
  constructor(
    run: (task: UploadTask, signal: AbortSignal) => Promise<BrowserUploadFileResult>,
    signal?: AbortSignal,
  ) {
    const combined = signal ? AbortSignal.any([signal, this.#stop.signal]) : this.#stop.signal;
    this.done = run(this, combined).then(
      (r) => {
        this.#state = 'done';
        return r;
      },
      (err) => {
        if (this.#state !== 'cancelled') this.#state = 'failed';
        throw err;
      },
    );
    // The caller may only ever call cancel(): the rejection is theirs to see, not unhandled.
    this.done.catch(() => {});
  }

  get state(): UploadTaskState {
    return this.#state;
  }

  /** Starts no new part; parts in flight finish (and are checkpointed). */
  pause(): void {
    if (this.#state !== 'running') return;
    this.#state = 'paused';
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate = { promise, open };
  }

  /** Continues a paused upload. */
  resume(): void {
    if (this.#state !== 'paused') return;
    this.#state = 'running';
    this.#gate?.open();
    this.#gate = undefined;
  }

  /**
   * Stops the requests in flight, aborts the multipart upload on the server and removes the
   * checkpoint; `done` rejects with `COS_ABORTED`. Resolves once that cleanup is done.
   */
  cancel(): Promise<void> {
    if (this.#cancelled) return this.#cancelled;
    if (this.#state === 'done' || this.#state === 'failed') return Promise.resolve();
    this.#state = 'cancelled';
    this.#stop.abort(new CosClientError('COS_ABORTED', 'the upload was cancelled'));
    this.#gate?.open();
    this.#gate = undefined;
    this.#cancelled = this.done.then(
      () => {},
      async () => {
        await this.#cleanup?.();
      },
    );
    return this.#cancelled;
  }

  // biome-ignore lint/suspicious/noThenProperty: a task is awaited like Node's uploadFile promise (`done` is that promise).
  then<A = BrowserUploadFileResult, B = never>(
    onfulfilled?: ((value: BrowserUploadFileResult) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.done.then(onfulfilled, onrejected);
  }

  /** @internal Waits while paused (the engine calls it before each part). */
  async waitWhilePaused(): Promise<void> {
    while (this.#gate) await this.#gate.promise;
  }

  /** @internal What cancel() undoes once the run has stopped. */
  setCleanup(cleanup: () => Promise<void>): void {
    this.#cleanup = cleanup;
  }
}

/** True for a `File` (it has a name and a modification time to be known again by). */
function isFile(blob: Blob): blob is File {
  return typeof (blob as File).name === 'string' && typeof (blob as File).lastModified === 'number';
}

/** Starts uploading `params.Body` (see the module comment); `endpoint` keys the checkpoint. */
export function uploadBlob(
  client: TransferClient,
  endpoint: string,
  input: BrowserUploadFileParams,
  /** A permit per part (or whole-file PUT) in flight, shared by a folder's files. */
  slots?: Semaphore,
): UploadTask {
  const params = transferOptions(input);
  if (typeof Blob === 'undefined' || !(params.Body instanceof Blob)) {
    throw invalidArgument(
      'uploadFile in a browser needs Body: a File or Blob (from an <input type="file"> or a drop).',
    );
  }
  const threshold = params.MultipartThreshold ?? UPLOAD_DEFAULTS.multipartThreshold;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw invalidArgument(`MultipartThreshold must be a non-negative number of bytes; got ${threshold}.`);
  }
  const blob = params.Body;
  const size = blob.size;
  const plan =
    size > threshold ? planParts(size, (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB) : undefined;
  return new UploadTask(async (task, signal) => {
    const target = { Bucket: params.Bucket, Key: params.Key };
    const call = { signal };
    const headers = pickObjectHeaders(params);
    const progress = new ProgressTracker(
      size,
      params.onProgress,
      params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
    );
    if (!plan) {
      await task.waitWhilePaused();
      const release = await slots?.acquire();
      let sent = 0;
      const r = await client
        .putObject({
          ...target,
          Body: blob,
          EnableMD5: params.EnableMD5 ?? false,
          ...headers,
          ...(params.TrafficLimit !== undefined ? { TrafficLimit: params.TrafficLimit } : {}),
          signal,
          onUploadProgress: (n: number) => {
            sent += n;
            if (n < 0) progress.rollback(-n);
            else progress.sent(n);
          },
        })
        .finally(() => release?.());
      progress.finish();
      return { ...r, ...versionOf(r), ...target, partsSent: 0, bytesSent: sent };
    }

    const checkpoint =
      (params.Checkpoint ?? true) && isFile(blob)
        ? new IndexedDbCheckpoint(checkpointKey(endpoint, params.Bucket, params.Key, blob))
        : undefined;
    const saved = await checkpoint?.load();
    let uploadId: string | undefined;
    let done: DoneParts = new Map();
    if (saved && saved.partSize === plan.partSize && saved.partCount === plan.partCount) {
      const confirmed = await confirmParts(client, target, saved.uploadId, saved.parts, call);
      if (confirmed) {
        uploadId = saved.uploadId;
        done = confirmed;
      } else {
        // The upload is gone: completed by a tab that closed before removing the checkpoint (then
        // the object is this file), or aborted.
        const whole = await completedBefore(client, target, saved, size, call);
        await checkpoint?.remove();
        if (whole) {
          progress.alreadyDone(size);
          progress.finish();
          return { ...whole, ...target, UploadId: saved.uploadId, partsSent: 0, bytesSent: 0 };
        }
      }
    } else if (saved) {
      await client.abortMultipartUpload({ ...target, UploadId: saved.uploadId, ...call }).catch(() => {});
      await checkpoint?.remove();
    }
    uploadId ??= await initiate(client, target, headers, call);
    const id = uploadId;
    task.setCleanup(async () => {
      await client.abortMultipartUpload({ ...target, UploadId: id }).catch(() => {});
      await checkpoint?.remove();
    });
    const outcome = await runMultipartUpload({
      client,
      target,
      uploadId: id,
      plan,
      done,
      read: async (start, end) => {
        const slice = blob.slice(start, end);
        // Hashed through one reused 1 MiB buffer: parts read whole with arrayBuffer() stayed in
        // the page until V8 collected them, 145 MiB for 4 × 16 MiB (bench/browser-upload-memory).
        let read: { crc64: string; size: number };
        try {
          read = await crc64OfBlob(slice);
        } catch (err) {
          throw new CosClientError(
            'COS_FILE_READ',
            `the file could not be read at bytes ${start}–${end} (it changed or was removed): ${(err as Error).message}`,
            { cause: err },
          );
        }
        // The bytes are only hashed here; the browser sends the slice from its own copy.
        return { body: slice, ...read };
      },
      workers: Math.min(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, plan.partCount),
      progress,
      options: { ...params, signal },
      saveCheckpoint: async () => {
        await checkpoint?.save({
          version: 1,
          uploadId: id,
          partSize: plan.partSize,
          partCount: plan.partCount,
          parts: Object.fromEntries([...done].map(([n, p]) => [String(n), p])),
        });
      },
      removeCheckpoint: async () => {
        await checkpoint?.remove();
      },
      beforePart: () => task.waitWhilePaused(),
      slots,
    });
    return { ...outcome, ...versionOf(outcome), ...target, UploadId: id };
  }, params.signal);
}
