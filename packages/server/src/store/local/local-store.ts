/**
 * The durable local backend of {@link Store}: blob files plus a transactional LMDB index.
 *
 * Write order for every mutation: blob bytes durable (temp → fsync → rename → dir fsync), then the
 * metadata commit (synced), then deletion of blobs the commit made unreachable. A crash at any
 * point leaves the old state or the new one; recovery only frees space. Every mutation goes
 * through {@link LocalStore.#commit}, the one place that pattern is written. What each write
 * checks and changes is backend-neutral (../write-plans.ts); this file is where it is stored.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CorsConfiguration, VersioningStatus } from '@coskit/protocol';
import type { Database } from 'lmdb';
import { blobCipher, newBlobNonce } from '../encryption.js';
import { BodyDigest } from '../ingest-checks.js';
import { objectKey, uploadKey } from '../keys.js';
import { listObjects } from '../list-objects.js';
import { listParts } from '../list-parts.js';
import { listUploads } from '../list-uploads.js';
import { listObjectVersions } from '../list-versions.js';
import type { MutableTable } from '../ordered-table.js';
import {
  blobsOf,
  type ObjectRecord,
  type PartRecord,
  type StoredBlob,
  type UploadRecord,
} from '../records.js';
import { type ServerKeySource, serverKeyFile } from '../server-key-file.js';
import type {
  BucketInfo,
  ListObjectsPage,
  ListObjectsQuery,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  ListVersionsPage,
  ListVersionsQuery,
  RecoveryReport,
  Store,
  UploadInfo,
} from '../store.js';
import { StoreError } from '../store-error.js';
import { hasOlderVersions, type Release, type VersionTables } from '../versions.js';
import {
  type BlobWrite,
  type HeldBlobs,
  type Share,
  type SseKeyLedger,
  type WriteOperation,
  WritePlanStore,
} from '../write-plans.js';
import { type BlobDigest, type BlobStep, BlobStore, type InlineBytes } from './blobs.js';
import { FANOUT, planCompaction, stillHolds } from './compaction.js';
import { HashPool } from './hash-pool.js';
import { MetadataStore } from './metadata.js';
import { findOrphans, markCleanShutdown, takeCleanShutdownMark } from './recovery.js';

/** What a write is doing, for {@link LocalStoreOptions.onStep}: a shared write plan, or compaction. */
export type LocalOperation = WriteOperation | 'compact';

/**
 * The points of a write where a crash test stops the process with kill -9: a blob's temp file is
 * fsynced, the blob is published (renamed, directory fsynced), the metadata commit is durable,
 * the blobs it released are deleted (their garbage entries not yet cleared).
 */
export type WriteStep = BlobStep | 'committed' | 'collected';

export interface LocalStoreOptions {
  /** Test seam for crash points: called synchronously at each {@link WriteStep}. Default none. */
  readonly onStep?: (step: WriteStep, operation: LocalOperation) => void;
  /** Failures of background work (compaction), which never fail a request. Default: ignored. */
  readonly onBackgroundError?: (err: unknown) => void;
  /** The SSE-COS key. Default: the file `<dataDir>/sse-cos.key`, created on the first SSE-COS write. */
  readonly serverKey?: ServerKeySource;
}

/**
 * Bodies of at least this many bytes (or of unknown length) are hashed on the worker pool; smaller
 * ones inline, where hashing 1 MiB (~2 ms) is cheaper than keeping a worker busy for it is worth
 * (a round trip is ~0.1 ms, and a 4 KiB PUT hashes in ~10 µs).
 */
const POOLED_HASH_MIN_BYTES = 1024 * 1024;

/**
 * PUT Object (and re-encrypting copy) bodies declared at most this long (64 KiB) are kept inside
 * the metadata index (`inline-blobs`) instead of a blob file: the write is then one synced LMDB
 * commit — no blob fsync, no directory fsync — and concurrent small PUTs share that commit
 * (lmdb-js runs the transactions queued during a commit's flush in the next one). GET reads them
 * with the record, no file opened. Memory: the body, once per such write in flight. Larger and
 * unknown-length bodies, parts and appends stay files: the index is memory-mapped and LMDB keeps
 * values over a page on overflow pages, so a small bound keeps it small beside the blob files.
 */
const INLINE_BLOB_MAX_BYTES = 64 * 1024;

/** The `store-state` entry of the SSE-COS key ledger (write-plans.ts' SseKeyLedger). */
const SSE_KEY_LEDGER = 'sse-key-ledger';

/** A blob the local store wrote: a durable file, or (`bytes`) an inline blob its commit stores. */
interface LocalBlob extends StoredBlob {
  /** The inline blob's bytes as stored (encrypted if `nonce`), until its commit writes them. */
  readonly bytes?: Buffer;
}

/** A merge found nothing to do: the object changed while the merged blob was being written. */
class StaleCompaction extends Error {}

/**
 * The object and multipart writes are the shared plans of {@link WritePlanStore}; this class
 * supplies the blobs (durable files), the LMDB tables and {@link LocalStore.#commit}.
 */
export class LocalStore extends WritePlanStore<LocalBlob> implements Store {
  readonly description: string;
  readonly #dataDir: string;
  /** The last process closed this store cleanly: there are no orphans to sweep. */
  #cleanStart = false;
  readonly #blobs: BlobStore;
  readonly #meta: MetadataStore;
  readonly #options: LocalStoreOptions;
  readonly #serverKey: ServerKeySource;
  readonly #hashPool = new HashPool();
  /** Objects (composite key, hex) with a compaction queued or running. */
  readonly #compacting = new Set<string>();
  /** Compactions run one at a time, after each other: background work, not request work. */
  #compactionQueue: Promise<void> = Promise.resolve();

  private constructor(dataDir: string, options: LocalStoreOptions) {
    super();
    this.description = `local (${dataDir})`;
    this.#dataDir = dataDir;
    this.#options = options;
    this.#serverKey = options.serverKey ?? serverKeyFile(join(dataDir, 'sse-cos.key'));
    this.#blobs = new BlobStore(dataDir);
    this.#meta = new MetadataStore(join(dataDir, 'meta'));
  }

  /** Opens (creating if needed) the store under `dataDir`. Run {@link recover} before serving. */
  static async open(dataDir: string, options: LocalStoreOptions = {}): Promise<LocalStore> {
    const store = new LocalStore(dataDir, options);
    await store.#blobs.init();
    store.#cleanStart = await takeCleanShutdownMark(dataDir);
    store.#hashPool.warm();
    return store;
  }

  async close(): Promise<void> {
    await this.settled();
    await this.#hashPool.close();
    await this.#meta.close();
    if (!this.#blobs.mayLeaveOrphans) await markCleanShutdown(this.#dataDir);
  }

  /** Resolves when no background compaction is queued or running. */
  async settled(): Promise<void> {
    while (this.#compacting.size > 0) await this.#compactionQueue;
  }

  #step(step: WriteStep, operation: LocalOperation): void {
    this.#options.onStep?.(step, operation);
  }

  /** The version tables as versions.ts changes them: inside a transaction, writes are synced puts. */
  get #versionTables(): VersionTables {
    const { objects, versions, nullVersions } = this.#meta.dbs;
    return {
      objects: lmdbTable(objects),
      versions: lmdbTable(versions),
      nullVersions: lmdbTable(nullVersions),
    };
  }

  // ---- the commit pattern --------------------------------------------------------------------

  /**
   * Runs `change` in one synced metadata transaction. Blobs it passes to `release` are listed as
   * garbage in the same transaction and deleted once it is durable (a crash in between leaves
   * them for recovery) — unless another record still holds them (`blobRefs`, counted up by
   * `share`), in which case the release only counts down. If the change throws, `newBlobs` —
   * written for it, referenced by nothing committed — are deleted and the error rethrown.
   */
  async #commit<T>(
    operation: LocalOperation,
    newBlobs: readonly string[],
    change: (release: Release, share: Share) => T,
  ): Promise<T> {
    const { garbage, blobRefs } = this.#meta.dbs;
    let released: string[] = [];
    let result: T;
    try {
      result = await this.#meta.transaction(() => {
        released = [];
        const release: Release = (ids) => {
          for (const id of ids) {
            const others = blobRefs.get(id) ?? 0;
            if (others > 1) blobRefs.putSync(id, others - 1);
            else if (others === 1) blobRefs.removeSync(id);
            else {
              garbage.putSync(id, true);
              released.push(id);
            }
          }
        };
        const share: Share = (ids) => {
          for (const id of ids) blobRefs.putSync(id, (blobRefs.get(id) ?? 0) + 1);
        };
        return change(release, share);
      });
    } catch (err) {
      await this.#blobs.remove(newBlobs);
      throw err;
    }
    this.#step('committed', operation);
    await this.#collect(released, operation);
    return result;
  }

  /** Deletes blobs a committed change made unreachable, then forgets them. */
  async #collect(ids: readonly string[], operation: LocalOperation): Promise<void> {
    if (ids.length === 0) return;
    const { garbage, inlineBlobs } = this.#meta.dbs;
    // Inline blobs are rows of the index: removed in the same transaction as their garbage entries.
    const inline = new Set(ids.filter((id) => inlineBlobs.doesExist(id)));
    await this.#blobs.remove(inline.size === 0 ? ids : ids.filter((id) => !inline.has(id)));
    this.#step('collected', operation);
    await this.#meta.transaction(() => {
      for (const id of inline) inlineBlobs.removeSync(id);
      for (const id of ids) garbage.removeSync(id);
    });
  }

  /**
   * Reads a small body into memory as an inline blob with the checks of {@link BlobWrite}
   * (`maxSize`, `accept`), encrypting it under `how.encryptWith` if given; its commit stores it.
   */
  async #receiveInline(source: AsyncIterable<Uint8Array>, how: BlobWrite): Promise<LocalBlob> {
    const digest = new BodyDigest(how.maxSize);
    const chunks: Uint8Array[] = [];
    for await (const chunk of source) {
      digest.update(chunk);
      // More than declared is refused, as the ingest's length check would, before memory grows.
      if (digest.size > INLINE_BLOB_MAX_BYTES) throw new StoreError('IncompleteBody');
      chunks.push(chunk);
    }
    const { md5, crc64 } = digest.digest();
    how.accept?.({ size: digest.size, md5, crc64 });
    const plain = Buffer.concat(chunks, digest.size);
    const id = randomBytes(16).toString('hex');
    if (!how.encryptWith) return { id, size: plain.length, md5, crc64, inline: true, bytes: plain };
    const nonce = newBlobNonce();
    const bytes = blobCipher(how.encryptWith, nonce).update(plain);
    return { id, size: plain.length, md5, crc64, nonce, inline: true, bytes };
  }

  /** The bytes of a record's inline blobs, read with it (call in the tick the record was read). */
  #inlineBytesOf(record: ObjectRecord): InlineBytes {
    const bytes = new Map<string, Buffer>();
    for (const s of record.segments) {
      if (!s.inline) continue;
      const stored = this.#meta.dbs.inlineBlobs.get(s.blob);
      if (!stored) throw new Error(`inline blob ${s.blob} of a record is missing from the index`);
      bytes.set(s.blob, stored);
    }
    return bytes;
  }

  /** MD5 + CRC-64 for a body of `expected` bytes (undefined: unknown), inline or pooled by size. */
  #digest(expected: number | undefined, maxSize: number): BlobDigest {
    if (expected !== undefined && expected < POOLED_HASH_MIN_BYTES) return new BodyDigest(maxSize);
    return this.#hashPool.digest(maxSize);
  }

  // ---- storage for the shared write plans (see ../write-plans.ts) -------------------------

  protected get versionTables(): VersionTables {
    return this.#versionTables;
  }

  protected get uploads(): MutableTable<UploadRecord> {
    return lmdbTable(this.#meta.dbs.uploads);
  }

  protected get parts(): MutableTable<PartRecord> {
    return lmdbTable(this.#meta.dbs.parts);
  }

  protected get serverKey(): ServerKeySource {
    return this.#serverKey;
  }

  protected bucketRecord(name: string): BucketInfo | undefined {
    return this.#meta.dbs.buckets.get(name);
  }

  protected readKeyLedger(): SseKeyLedger | undefined {
    return this.#meta.dbs.state.get(SSE_KEY_LEDGER) as SseKeyLedger | undefined;
  }

  protected async updateKeyLedger(update: (now: SseKeyLedger | undefined) => SseKeyLedger): Promise<void> {
    const { state } = this.#meta.dbs;
    await this.#meta.transaction(() => {
      state.putSync(SSE_KEY_LEDGER, update(state.get(SSE_KEY_LEDGER) as SseKeyLedger | undefined));
    });
  }

  /**
   * A durable blob (see {@link BlobStore.write}): a refused one is never published. A whole
   * object's small body (PUT, re-encrypting copy) is an inline blob instead, stored by its commit.
   */
  protected writeBlob(source: AsyncIterable<Uint8Array>, how: BlobWrite): Promise<LocalBlob> {
    const wholeObject = how.operation === 'put' || how.operation === 'copy';
    if (wholeObject && how.size !== undefined && how.size <= INLINE_BLOB_MAX_BYTES)
      return this.#receiveInline(source, how);
    return this.#blobs.write(source, this.#digest(how.size, how.maxSize), {
      accept: how.accept,
      onStep: (step) => this.#step(step, how.operation),
      encryptWith: how.encryptWith,
    });
  }

  protected commitChange<T>(
    operation: WriteOperation,
    written: LocalBlob | undefined,
    change: (release: Release, share: Share) => T,
  ): Promise<T> {
    const inline = written?.bytes;
    if (!written || !inline) return this.#commit(operation, written ? [written.id] : [], change);
    // An inline blob is written by its commit, after the change (which checks before it writes):
    // a refused change leaves nothing behind, an accepted one is one synced commit.
    const { inlineBlobs } = this.#meta.dbs;
    return this.#commit(operation, [], (release, share) => {
      const result = change(release, share);
      inlineBlobs.putSync(written.id, inline);
      return result;
    });
  }

  /** Pinned: a commit lists the blobs as garbage, but deletes them only once unpinned. */
  protected holdBlobs(record: ObjectRecord): HeldBlobs {
    const unpin = this.#blobs.pin(blobsOf(record));
    // Inline blobs are read now, with the record: the caller holds their bytes, not the index.
    const inline = this.#inlineBytesOf(record);
    return {
      read: (range, root) =>
        range.end < range.start
          ? Readable.from([])
          : this.#blobs.read(record.segments, range.start, range.end, root, inline),
      readAll: (range, root) => this.#blobs.readAll(record.segments, range.start, range.end, root, inline),
      close: unpin,
    };
  }

  /** An APPEND made the segment list long enough to merge: compaction runs in the background. */
  protected override appended(bucket: string, key: string, record: ObjectRecord): void {
    if (planCompaction(record.segments)) this.#scheduleCompaction(bucket, key);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async recover(): Promise<RecoveryReport> {
    const tempFiles = await this.#blobs.clearTemp();
    const ids = [...this.#meta.dbs.garbage.getKeys()];
    await this.#collect(ids, 'delete');
    return { tempFiles, garbageBlobs: ids.length };
  }

  async sweep(startedBefore: number): Promise<number> {
    if (this.#cleanStart) return 0;
    const orphans = await findOrphans(this.#meta.dbs, this.#blobs, startedBefore);
    await this.#blobs.remove(orphans);
    return orphans.length;
  }

  // ---- buckets -------------------------------------------------------------------------------

  async getBucket(bucket: string): Promise<BucketInfo | undefined> {
    return this.#meta.dbs.buckets.get(bucket);
  }

  async listBuckets(): Promise<{ name: string; info: BucketInfo }[]> {
    return [...this.#meta.dbs.buckets.getRange()].map(({ key, value }) => ({ name: key, info: value }));
  }

  createBucket(bucket: string, info: BucketInfo): Promise<boolean> {
    const { buckets } = this.#meta.dbs;
    return this.#commit('bucket', [], () => {
      if (buckets.get(bucket)) return false;
      buckets.putSync(bucket, info);
      return true;
    });
  }

  deleteBucket(bucket: string): Promise<void> {
    const { buckets, objects, uploads } = this.#meta.dbs;
    return this.#commit('bucket', [], () => {
      if (!buckets.get(bucket)) throw new StoreError('NoSuchBucket');
      const range = { start: objectKey(bucket, ''), end: objectKey(`${bucket}\u0001`, ''), limit: 1 };
      if (
        objects.getKeysCount(range) > 0 ||
        uploads.getKeysCount(range) > 0 ||
        hasOlderVersions(this.#versionTables, bucket)
      )
        throw new StoreError('BucketNotEmpty');
      buckets.removeSync(bucket);
    });
  }

  setBucketCors(bucket: string, cors: CorsConfiguration | undefined): Promise<void> {
    const { buckets } = this.#meta.dbs;
    return this.#commit('bucket', [], () => {
      const current = buckets.get(bucket);
      if (!current) throw new StoreError('NoSuchBucket');
      const { cors: _previous, ...rest } = current;
      buckets.putSync(bucket, cors ? { ...rest, cors } : rest);
    });
  }

  setBucketVersioning(bucket: string, status: VersioningStatus): Promise<void> {
    const { buckets } = this.#meta.dbs;
    return this.#commit('versioning', [], () => {
      const current = buckets.get(bucket);
      if (!current) throw new StoreError('NoSuchBucket');
      buckets.putSync(bucket, { ...current, versioning: status });
    });
  }

  // ---- objects -------------------------------------------------------------------------------

  async listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage> {
    return listObjects(this.#meta.dbs.objects, bucket, query);
  }

  async listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage> {
    const { objects, versions, nullVersions } = this.#meta.dbs;
    // One read snapshot for the merged walk: a commit between two seeks cannot skew the page.
    const transaction = objects.useReadTransaction();
    try {
      return listObjectVersions(
        {
          objects: {
            get: (k) => objects.get(k, { transaction }),
            getRange: (r) => objects.getRange({ ...r, transaction }),
          },
          versions: { getRange: (r) => versions.getRange({ ...r, transaction }) },
          nullVersions: { get: (k) => nullVersions.get(k, { transaction }) },
        },
        bucket,
        query,
      );
    } finally {
      transaction.done();
    }
  }

  // ---- multipart -----------------------------------------------------------------------------

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo | undefined> {
    return this.#meta.dbs.uploads.get(uploadKey(bucket, key, uploadId));
  }

  async listParts(
    _bucket: string,
    _key: string,
    uploadId: string,
    marker: number,
    max: number,
  ): Promise<ListPartsPage> {
    return listParts(this.#meta.dbs.parts, uploadId, marker, max);
  }

  async listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage> {
    return listUploads(this.#meta.dbs.uploads, bucket, query);
  }

  // ---- compaction of appendable objects (see compaction.ts) ---------------------------------

  #scheduleCompaction(bucket: string, key: string): void {
    const id = objectKey(bucket, key).toString('hex');
    if (this.#compacting.has(id)) return;
    this.#compacting.add(id);
    this.#compactionQueue = this.#compactionQueue
      .then(async () => {
        while (await this.#compactOnce(bucket, key));
      })
      .catch((err: unknown) => this.#options.onBackgroundError?.(err))
      .finally(() => this.#compacting.delete(id));
  }

  /**
   * Merges one run of segments into a new durable blob and swaps it in with one commit, if the
   * object still holds that run (an overwrite, delete or APPEND may come meanwhile; appends only
   * add at the end, so they never invalidate a run). The object's bytes, ETag and CRC-64 do not
   * change. A crash before the commit leaves an orphan blob (swept); after it, the replaced blobs
   * are on the garbage list (collected by recovery). True if it merged something.
   */
  async #compactOnce(bucket: string, key: string): Promise<boolean> {
    const k = objectKey(bucket, key);
    const record = this.#meta.dbs.objects.get(k);
    // Appendable objects are never encrypted (APPEND refuses SSE); merging needs no key.
    const plan = record?.appendable && !record.encryption ? planCompaction(record.segments) : undefined;
    if (!record || !plan) return false;
    const window = record.segments.slice(plan.start, plan.start + FANOUT);
    const merged = await this.#blobs.write(
      this.#blobs.read(window, 0, plan.size - 1),
      this.#digest(plan.size, plan.size),
      { onStep: (step) => this.#step(step, 'compact') },
    );
    const { objects } = this.#meta.dbs;
    try {
      await this.#commit('compact', [merged.id], (release) => {
        const current = objects.get(k);
        if (!current?.appendable || !stillHolds(current.segments, plan.start, window))
          throw new StaleCompaction();
        const segments = [...current.segments];
        segments.splice(plan.start, FANOUT, { blob: merged.id, size: merged.size, level: plan.level + 1 });
        objects.putSync(k, { ...current, segments });
        release(window.map((s) => s.blob));
      });
    } catch (err) {
      if (err instanceof StaleCompaction) return false;
      throw err;
    }
    return true;
  }

  /** Diagnostics for tests: every inline blob's bytes as stored (ciphertext when encrypted). */
  inlineBlobs(): Buffer[] {
    return [...this.#meta.dbs.inlineBlobs.getRange()].map(({ value }) => value);
  }

  /** Diagnostics for tests: how many segments (blob files) hold an object, or undefined. */
  segmentCount(bucket: string, key: string): number | undefined {
    return this.#meta.dbs.objects.get(objectKey(bucket, key))?.segments.length;
  }
}

/** An LMDB database as a {@link MutableTable} (call inside a write transaction for put/remove). */
function lmdbTable<V>(db: Database<V, Buffer>): MutableTable<V> {
  return {
    get: (key) => db.get(key),
    put: (key, value) => {
      db.putSync(key, value);
    },
    remove: (key) => {
      db.removeSync(key);
    },
    getRange: (range) => db.getRange(range),
  };
}
