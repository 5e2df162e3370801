/**
 * MD5 (the ETag) and CRC-64 (`x-cos-hash-crc64ecma`) of large bodies, computed on a small pool of
 * worker threads so the event loop only moves bytes. Hashing is ~2 CPU-seconds per GiB (MD5 ~600
 * MB/s, CRC-64 ~2 GB/s on one core); on the main thread it capped a 1 GiB upload at one core.
 *
 * The main thread copies each ~1 MiB batch of body chunks once into a fresh ArrayBuffer and
 * transfers it (no second copy); the bytes hashed are exactly the bytes written, so the ETag is
 * still the MD5 of the stored blob. Small bodies are cheaper to hash inline (a worker round trip
 * costs more than hashing 4 KiB): {@link LocalStore} picks.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StoreError } from '../store-error.js';

/** Main → worker: a chunk of stream `id`, and/or its end. */
export interface HashRequest {
  readonly id: number;
  readonly chunk?: ArrayBuffer;
  readonly end?: boolean;
}

/** Worker → main: a chunk of `hashed` bytes was hashed, or the stream's digests. */
export interface HashResult {
  readonly id: number;
  readonly hashed?: number;
  readonly md5?: string;
  readonly crc64?: bigint;
}

/** Unhashed bytes one stream may have queued at a worker before {@link PooledDigest.flush} waits. */
const MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

interface Pending {
  inFlight: number;
  drained?: () => void;
  done?: (result: { md5: string; crc64: bigint }) => void;
  failed?: (err: Error) => void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly streams: Map<number, Pending>;
}

/**
 * Worker threads for hashing: min(2, available cores) by default, one started by {@link warm}, the
 * rest on first use; unref'd
 * (they never keep the process alive). Memory: at most {@link MAX_IN_FLIGHT_BYTES} queued per
 * stream being hashed.
 */
export class HashPool {
  readonly #size: number;
  readonly #workers: PoolWorker[] = [];
  #nextId = 1;

  constructor(size = Math.min(2, availableParallelism())) {
    this.#size = Math.max(1, size);
  }

  /**
   * Starts one worker now, so the first large body does not wait for a thread to boot (tens of
   * milliseconds, more on a loaded machine). Called when a store opens.
   */
  warm(): void {
    if (this.#workers.length === 0) this.#start();
  }

  /** A digest for one body; `maxSize` bounds the bytes it accepts (EntityTooLarge past it). */
  digest(maxSize: number): PooledDigest {
    return new PooledDigest(this.#pick(), this.#nextId++, maxSize);
  }

  /** The worker with the fewest streams (starting one while below the pool size). */
  #pick(): PoolWorker {
    const idle = this.#workers.find((w) => w.streams.size === 0);
    if (idle) return idle;
    if (this.#workers.length < this.#size) return this.#start();
    return this.#workers.reduce((a, b) => (b.streams.size < a.streams.size ? b : a));
  }

  #start(): PoolWorker {
    const worker = new Worker(new URL('./hash-worker.js', import.meta.url));
    worker.unref();
    const entry: PoolWorker = { worker, streams: new Map() };
    worker.on('message', (msg: HashResult) => {
      const p = entry.streams.get(msg.id);
      if (!p) return;
      if (msg.hashed !== undefined) {
        p.inFlight -= msg.hashed;
        if (p.inFlight <= MAX_IN_FLIGHT_BYTES && p.drained) {
          const drained = p.drained;
          p.drained = undefined;
          drained();
        }
        return;
      }
      entry.streams.delete(msg.id);
      p.done?.({ md5: msg.md5!, crc64: msg.crc64! });
    });
    const fail = (err: Error) => {
      const i = this.#workers.indexOf(entry);
      if (i >= 0) this.#workers.splice(i, 1);
      for (const p of entry.streams.values()) p.failed?.(err);
      entry.streams.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
    this.#workers.push(entry);
    return entry;
  }

  /** Stops the workers (tests, server close). Streams still being hashed fail. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

/**
 * MD5 + CRC-64 + size of one body, hashed by a pool worker. Same contract as `BodyDigest` except
 * that {@link flush} hands the bytes seen so far to the worker (call it every ~1 MiB; it waits
 * while too much is queued) and {@link digest} is asynchronous.
 */
export class PooledDigest {
  readonly #owner: PoolWorker;
  readonly #id: number;
  readonly #pending: Pending = { inFlight: 0 };
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;
  #ended = false;
  size = 0;

  constructor(
    owner: PoolWorker,
    id: number,
    readonly maxSize: number,
  ) {
    this.#owner = owner;
    this.#id = id;
    owner.streams.set(id, this.#pending);
  }

  /** Counts one chunk (kept by reference until the next flush); throws EntityTooLarge past the limit. */
  update(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxSize) {
      this.abandon();
      throw new StoreError('EntityTooLarge', `The body exceeds ${this.maxSize} bytes.`);
    }
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.byteLength;
  }

  /** Sends the chunks seen since the last flush; resolves once the worker's queue is short again. */
  flush(): Promise<void> {
    this.#send(false);
    if (this.#pending.inFlight <= MAX_IN_FLIGHT_BYTES) return Promise.resolve();
    return new Promise((resolve) => {
      this.#pending.drained = resolve;
    });
  }

  /** Lowercase hex MD5 and CRC-64 of every byte passed to {@link update} (call once). */
  digest(): Promise<{ md5: string; crc64: bigint }> {
    this.#ended = true;
    const result = new Promise<{ md5: string; crc64: bigint }>((resolve, reject) => {
      this.#pending.done = resolve;
      this.#pending.failed = reject;
    });
    this.#send(true);
    return result;
  }

  /** Drops the stream at the worker (a failed write); its digests are never read. Idempotent. */
  abandon(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#pending.done = undefined;
    this.#send(true);
  }

  #send(end: boolean): void {
    let chunk: ArrayBuffer | undefined;
    if (this.#chunkBytes > 0) {
      // One copy into memory we own, then a transfer: socket chunks may share an ArrayBuffer.
      // allocUnsafeSlow: an ArrayBuffer of its own (transferable) that is not zero-filled first —
      // `new ArrayBuffer` wrote every byte twice.
      const view = Buffer.allocUnsafeSlow(this.#chunkBytes);
      chunk = view.buffer as ArrayBuffer;
      let at = 0;
      for (const c of this.#chunks) {
        view.set(c, at);
        at += c.byteLength;
      }
      this.#pending.inFlight += this.#chunkBytes;
      this.#chunks = [];
      this.#chunkBytes = 0;
    }
    if (!chunk && !end) return;
    const msg: HashRequest = { id: this.#id, ...(chunk ? { chunk } : {}), ...(end ? { end } : {}) };
    this.#owner.worker.postMessage(msg, chunk ? [chunk] : []);
  }
}
