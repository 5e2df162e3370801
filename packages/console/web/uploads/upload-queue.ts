/**
 * The console's uploads: what the user dropped, as a list of files with their state, progress and
 * speed, and the totals. The bytes are moved by the client (uploads/transfer.ts → `uploadFile`);
 * this only decides which files run (at most {@link FILES_AT_ONCE} at a time, in the order they
 * were added) and relays pause / resume / cancel. Views subscribe and re-render on every change.
 */
import type { Cos } from '../cos.js';
import { addPending, type PendingUpload, removePending } from './pending.js';
import type { PickedFile } from './pick.js';
import { SpeedMeter } from './speed.js';
import { startTransfer, type Transfer } from './transfer.js';

/** Files uploading at once. Each multipart file also runs the client's own part concurrency. */
export const FILES_AT_ONCE = 3;

export type UploadState = 'queued' | 'uploading' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  readonly id: number;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Bytes the server has acknowledged or that are in flight (the client's progress contract). */
  readonly sent: number;
  readonly state: UploadState;
  /** Bytes per second over the last seconds, while uploading. */
  readonly speed: number | undefined;
  readonly error: unknown;
}

export interface UploadTotals {
  readonly files: number;
  readonly done: number;
  readonly failed: number;
  readonly size: number;
  readonly sent: number;
  readonly speed: number | undefined;
  /** Some file is queued, uploading or paused. */
  readonly active: boolean;
}

interface Entry {
  readonly id: number;
  readonly bucket: string;
  readonly key: string;
  readonly file: File;
  sent: number;
  state: UploadState;
  error: unknown;
  transfer: Transfer | undefined;
  readonly meter: SpeedMeter;
}

const pendingOf = (e: Entry): PendingUpload => ({
  bucket: e.bucket,
  key: e.key,
  name: e.file.name,
  size: e.file.size,
  lastModified: e.file.lastModified,
});

const FINISHED: ReadonlySet<UploadState> = new Set(['done', 'failed', 'cancelled']);

export class UploadQueue {
  #entries: Entry[] = [];
  #nextId = 1;
  readonly #listeners = new Set<() => void>();
  readonly #totalMeter = new SpeedMeter();
  /** Bumped when a file finishes, per bucket: listings of that bucket reload. */
  #finished = new Map<string, number>();
  #notifyQueued = false;

  constructor(private readonly client: Cos) {}

  /** Calls `listener` after every change (batched per microtask); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get items(): readonly UploadItem[] {
    const now = performance.now();
    return this.#entries.map((e) => ({
      id: e.id,
      bucket: e.bucket,
      key: e.key,
      size: e.file.size,
      sent: e.sent,
      state: e.state,
      speed: e.state === 'uploading' ? e.meter.rate(now) : undefined,
      error: e.error,
    }));
  }

  get totals(): UploadTotals {
    let size = 0;
    let sent = 0;
    let done = 0;
    let failed = 0;
    let active = false;
    for (const e of this.#entries) {
      if (e.state === 'cancelled') continue;
      size += e.file.size;
      sent += e.sent;
      if (e.state === 'done') done++;
      else if (e.state === 'failed') failed++;
      else active = true;
    }
    const files = this.#entries.filter((e) => e.state !== 'cancelled').length;
    return { files, done, failed, size, sent, speed: active ? this.#totalMeter.rate() : undefined, active };
  }

  /** How many files finished in `bucket` so far (a listing's refresh key). */
  finishedIn(bucket: string): number {
    return this.#finished.get(bucket) ?? 0;
  }

  /** Queues `files` for `bucket` under `prefix` (key = prefix + relative path). */
  add(bucket: string, prefix: string, files: readonly PickedFile[]): void {
    for (const { file, path } of files) {
      this.#entries.push({
        id: this.#nextId++,
        bucket,
        key: prefix + path,
        file,
        sent: 0,
        state: 'queued',
        error: undefined,
        transfer: undefined,
        meter: new SpeedMeter(),
      });
    }
    this.#pump();
  }

  /** Lets parts in flight finish, then holds; a queued file simply waits. */
  pause(id: number): void {
    const e = this.#find(id);
    if (!e || FINISHED.has(e.state) || e.state === 'paused') return;
    e.transfer?.pause();
    e.state = 'paused';
    e.meter.reset();
    this.#changed();
    this.#pump();
  }

  resume(id: number): void {
    const e = this.#find(id);
    if (!e || e.state !== 'paused') return;
    if (e.transfer) {
      e.state = 'uploading';
      e.transfer.resume();
    } else {
      e.state = 'queued';
    }
    this.#changed();
    this.#pump();
  }

  /** Stops the file: requests in flight are aborted and an unfinished multipart upload is aborted too. */
  cancel(id: number): void {
    const e = this.#find(id);
    if (!e || FINISHED.has(e.state)) return;
    e.state = 'cancelled';
    e.transfer?.cancel();
    removePending(pendingOf(e));
    this.#changed();
    this.#pump();
  }

  /** A failed file starts again (the client's checkpoint skips the parts already stored). */
  retry(id: number): void {
    const e = this.#find(id);
    if (!e || e.state !== 'failed') return;
    e.state = 'queued';
    e.error = undefined;
    e.transfer = undefined;
    this.#changed();
    this.#pump();
  }

  pauseAll(): void {
    for (const e of this.#entries) this.pause(e.id);
  }

  resumeAll(): void {
    for (const e of this.#entries) this.resume(e.id);
  }

  cancelAll(): void {
    for (const e of this.#entries) this.cancel(e.id);
  }

  /** Forgets finished files (done, failed, cancelled). */
  clearFinished(): void {
    this.#entries = this.#entries.filter((e) => !FINISHED.has(e.state));
    this.#changed();
  }

  #find(id: number): Entry | undefined {
    return this.#entries.find((e) => e.id === id);
  }

  /** Starts queued files while fewer than FILES_AT_ONCE are uploading. */
  #pump(): void {
    let running = this.#entries.filter((e) => e.state === 'uploading').length;
    for (const e of this.#entries) {
      if (running >= FILES_AT_ONCE) break;
      if (e.state !== 'queued') continue;
      running++;
      this.#start(e);
    }
    this.#changed();
  }

  #start(e: Entry): void {
    e.state = 'uploading';
    addPending(pendingOf(e));
    const transfer = startTransfer(this.client, {
      Bucket: e.bucket,
      Key: e.key,
      file: e.file,
      onProgress: (sent) => {
        e.sent = sent;
        e.meter.record(sent);
        this.#totalMeter.record(this.#entries.reduce((n, x) => n + x.sent, 0));
        this.#changed();
      },
    });
    e.transfer = transfer;
    transfer.done.then(
      () => {
        if (e.state === 'cancelled') return;
        e.state = 'done';
        e.sent = e.file.size;
        removePending(pendingOf(e));
        this.#finished.set(e.bucket, this.finishedIn(e.bucket) + 1);
        this.#pump();
      },
      (err: unknown) => {
        if (e.state === 'cancelled') return;
        e.state = 'failed';
        e.error = err;
        this.#pump();
      },
    );
  }

  #changed(): void {
    if (this.#notifyQueued) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const listener of this.#listeners) listener();
    });
  }
}
