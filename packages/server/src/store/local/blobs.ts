/**
 * Blob files: the bytes of objects, parts and appends. A blob is written to `tmp/`, fsynced,
 * renamed into `blobs/<2 hex>/<id>` and its directory fsynced — only then may metadata point at
 * it. Blob names are random ids: an object key never becomes a path.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type BlobCipher, blobCipher, newBlobNonce } from '../encryption.js';
import type { BodyDigest } from '../ingest-checks.js';
import type { Segment, StoredBlob } from '../records.js';
import { DirectorySync } from './directory-sync.js';
import type { PooledDigest } from './hash-pool.js';

const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Segment reads up to this size are one positional read into one buffer (open, pread, close)
 * instead of a file ReadStream, whose set-up costs more than reading a small object.
 */
const SINGLE_READ_MAX_BYTES = 256 * 1024;

/** Hashes a body as it is written: inline ({@link BodyDigest}) or on a worker ({@link PooledDigest}). */
export type BlobDigest = BodyDigest | PooledDigest;

/** Points of a blob write where a crash test may stop the process (see `LocalStoreOptions.onStep`). */
export type BlobStep = 'blob-synced' | 'blob-published';

export interface BlobWriteOptions {
  /**
   * Sees the blob's size and digests before it is published (renamed into `blobs/`): if it throws
   * (a Content-MD5 or Content-Length mismatch), nothing — not even a shard directory — is left.
   */
  readonly accept?: (blob: Omit<StoredBlob, 'id'>) => void;
  /** Called after the temp file is fsynced and after the blob is published. */
  readonly onStep?: (step: BlobStep) => void;
  /**
   * Store the bytes encrypted under `root` (see `encryption.ts`): each chunk is hashed as it
   * arrives (ETag and CRC-64 stay the plaintext's), then encrypted and written. Default: as given.
   */
  readonly encryptWith?: Buffer | undefined;
}

export class BlobStore {
  readonly #blobDir: string;
  readonly #tmpDir: string;
  readonly #dirSync = new DirectorySync();
  readonly #madeDirs = new Set<string>();
  /** Blobs being read → open readers; deleting them waits until the last reader is done. */
  readonly #readers = new Map<string, number>();
  readonly #deferred = new Set<string>();
  /** Writes between their temp file and their return. */
  #writing = 0;
  /** A removal or clean-up failed: a blob may be on disk that nothing references. */
  #cleanupFailed = false;

  constructor(dataDir: string) {
    this.#blobDir = join(dataDir, 'blobs');
    this.#tmpDir = join(dataDir, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.#blobDir, { recursive: true });
    await mkdir(this.#tmpDir, { recursive: true });
  }

  /**
   * Whether blobs nothing references may be left on disk: a write is still running, a deletion is
   * deferred to a reader, or a removal failed. A clean close records that it is not so
   * (recovery.ts), and the next start then skips the orphan sweep.
   */
  get mayLeaveOrphans(): boolean {
    return this.#writing > 0 || this.#deferred.size > 0 || this.#cleanupFailed;
  }

  /** Removes every temp file (writes that never finished: the request was never acknowledged). */
  async clearTemp(): Promise<number> {
    const names = await readdir(this.#tmpDir);
    await Promise.all(names.map((n) => rm(join(this.#tmpDir, n), { force: true })));
    return names.length;
  }

  /** Every blob id on disk (for the orphan sweep). */
  async *listIds(): AsyncGenerator<string> {
    for (const shard of await readdir(this.#blobDir)) {
      for (const name of await readdir(join(this.#blobDir, shard))) yield name;
    }
  }

  #shardDir(id: string): string {
    return join(this.#blobDir, id.slice(0, 2));
  }

  pathOf(id: string): string {
    return join(this.#shardDir(id), id);
  }

  /**
   * Streams `source` into a new durable blob, feeding every chunk to `digest` (which hashes and
   * enforces the size limit). On any error (also one `options.accept` throws) the temp file is
   * removed and nothing is left behind.
   */
  async write(
    source: AsyncIterable<Uint8Array>,
    digest: BlobDigest,
    options: BlobWriteOptions = {},
  ): Promise<StoredBlob> {
    const { encryptWith } = options;
    const id = randomBytes(16).toString('hex');
    const nonce = encryptWith ? newBlobNonce() : undefined;
    const cipher = encryptWith && nonce ? blobCipher(encryptWith, nonce) : undefined;
    const tmp = join(this.#tmpDir, id);
    this.#writing++;
    try {
      return await this.#write(id, tmp, source, digest, options, nonce, cipher);
    } finally {
      this.#writing--;
    }
  }

  async #write(
    id: string,
    tmp: string,
    source: AsyncIterable<Uint8Array>,
    digest: BlobDigest,
    { accept, onStep }: BlobWriteOptions,
    nonce: string | undefined,
    cipher: BlobCipher | undefined,
  ): Promise<StoredBlob> {
    let digests: Omit<StoredBlob, 'id'>;
    const handle = await open(tmp, 'wx');
    // Socket chunks are ~64 KiB: gather them into ~1 MiB writev calls (fewer syscalls and awaits).
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    try {
      for await (const chunk of source) {
        digest.update(chunk);
        batch.push(cipher ? cipher.update(chunk) : chunk);
        batchBytes += chunk.byteLength;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          // A pooled digest hashes this batch on its worker while the write runs.
          if ('flush' in digest) await Promise.all([handle.writev(batch), digest.flush()]);
          else await handle.writev(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await handle.writev(batch);
      digests = { size: digest.size, ...(await digest.digest()) };
      accept?.(digests);
      await handle.sync();
      onStep?.('blob-synced');
    } catch (err) {
      if ('abandon' in digest) digest.abandon();
      await handle.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw err;
    }
    await handle.close();
    const dir = this.#shardDir(id);
    try {
      if (!this.#madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.#madeDirs.add(dir);
      }
      await rename(tmp, join(dir, id));
      await this.#dirSync.sync(dir);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      await unlink(join(dir, id)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') this.#cleanupFailed = true;
      });
      throw err;
    }
    onStep?.('blob-published');
    return nonce === undefined ? { id, ...digests } : { id, ...digests, nonce };
  }

  /**
   * Reads bytes `start`–`end` (inclusive) of the object made of `segments`, decrypting segments
   * that have a nonce with `root` (the object's root key). The blobs stay on disk until the stream
   * ends, even if the object is overwritten or deleted meanwhile.
   */
  read(
    segments: readonly Segment[],
    start: number,
    end: number,
    root?: Buffer,
    inline: InlineBytes = NO_INLINE_BYTES,
  ): Readable {
    const release = this.pin(segments.map((s) => s.blob));
    const paths = this.#sources(segments, inline);
    const stream = Readable.from(readSegments(paths, start, end, root), { objectMode: false });
    stream.once('close', release);
    stream.once('end', release);
    return stream;
  }

  /**
   * Bytes `start`–`end` (inclusive) of the object made of `segments` in one buffer (decrypted as
   * {@link read} does); memory: the range's length. Empty if `end < start`.
   */
  async readAll(
    segments: readonly Segment[],
    start: number,
    end: number,
    root?: Buffer,
    inline: InlineBytes = NO_INLINE_BYTES,
  ): Promise<Buffer> {
    if (end < start) return Buffer.alloc(0);
    const release = this.pin(segments.map((s) => s.blob));
    try {
      const paths = this.#sources(segments, inline);
      const pieces: Buffer[] = [];
      for await (const piece of readSegments(paths, start, end, root)) pieces.push(piece);
      return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    } finally {
      release();
    }
  }

  /** Where each segment's bytes are read from: its file, or the bytes of an inline blob. */
  #sources(segments: readonly Segment[], inline: InlineBytes): SegmentSource[] {
    return segments.map((s) => {
      if (!s.inline) return { path: this.pathOf(s.blob), size: s.size, nonce: s.nonce };
      const bytes = inline.get(s.blob);
      if (!bytes) throw new Error(`inline blob ${s.blob} was not read with its record`);
      return { path: `inline:${s.blob}`, size: s.size, nonce: s.nonce, bytes };
    });
  }

  /**
   * Keeps blobs on disk until the returned function is called (idempotent): a {@link remove} of a
   * pinned blob is deferred to its last release.
   */
  pin(ids: readonly string[]): () => void {
    for (const id of ids) this.#readers.set(id, (this.#readers.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of ids) this.#releaseReader(id);
    };
  }

  #releaseReader(id: string): void {
    const left = (this.#readers.get(id) ?? 1) - 1;
    if (left > 0) {
      this.#readers.set(id, left);
      return;
    }
    this.#readers.delete(id);
    if (this.#deferred.delete(id))
      void rm(this.pathOf(id), { force: true }).catch(() => {
        this.#cleanupFailed = true;
      });
  }

  /**
   * Deletes blobs; missing files are fine (a sweep may have raced us). A blob with open readers is
   * deleted when its last reader finishes (if the process dies first, the orphan sweep frees it).
   */
  async remove(ids: Iterable<string>): Promise<void> {
    const now: string[] = [];
    for (const id of ids) {
      if (this.#readers.has(id)) this.#deferred.add(id);
      else now.push(id);
    }
    try {
      await Promise.all(now.map((id) => rm(this.pathOf(id), { force: true })));
    } catch (err) {
      this.#cleanupFailed = true;
      throw err;
    }
  }
}

/** One segment as {@link readSegments} reads it: from `bytes` when given (inline), else the file. */
interface SegmentSource {
  readonly path: string;
  readonly size: number;
  readonly nonce?: string | undefined;
  readonly bytes?: Buffer;
}

/**
 * The bytes of an object's inline blobs by id, read from the index with its record (in the same
 * tick, so a commit cannot free them in between; the caller holds them, not the index).
 */
export type InlineBytes = ReadonlyMap<string, Buffer>;
const NO_INLINE_BYTES: InlineBytes = new Map();

async function* readSegments(
  segments: readonly SegmentSource[],
  start: number,
  end: number,
  root: Buffer | undefined,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for (const seg of segments) {
    const segStart = offset;
    const segEnd = offset + seg.size - 1;
    offset += seg.size;
    if (seg.size === 0 || segEnd < start) continue;
    if (segStart > end) break;
    const from = Math.max(start, segStart) - segStart;
    const to = Math.min(end, segEnd) - segStart;
    if (seg.nonce !== undefined && !root) throw new Error(`blob ${seg.path} is encrypted; no key was given`);
    const cipher = seg.nonce !== undefined && root ? blobCipher(root, seg.nonce, from) : undefined;
    if (seg.bytes) {
      if (seg.bytes.length !== seg.size) throw new Error(`blob ${seg.path} is not the size its record says`);
      const bytes = seg.bytes.subarray(from, to + 1);
      yield cipher ? cipher.update(bytes) : bytes;
      continue;
    }
    if (to - from + 1 <= SINGLE_READ_MAX_BYTES) {
      const bytes = await readOnce(seg.path, from, to - from + 1);
      yield cipher ? cipher.update(bytes) : bytes;
      continue;
    }
    for await (const chunk of createReadStream(seg.path, {
      start: from,
      end: to,
      highWaterMark: 256 * 1024,
    })) {
      yield cipher ? cipher.update(chunk as Buffer) : (chunk as Buffer);
    }
  }
}

/** `length` bytes of `path` from `position`, in one read (a short read means the blob is damaged). */
async function readOnce(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    if (bytesRead !== length) throw new Error(`blob ${path} is shorter than its record says`);
    return buffer;
  } finally {
    await handle.close();
  }
}
