/**
 * The metadata index: buckets, objects, versions, multipart uploads, parts and the garbage list, in LMDB
 * (an embedded, transactional, ordered key-value store). Every transaction commit is synced to
 * disk before its promise resolves, so a committed record survives kill -9 and power loss.
 */
import { type Database, open, type RootDatabase } from 'lmdb';
import type { BucketRecord, ObjectRecord, PartRecord, UploadRecord, VersionRecord } from '../records.js';

export interface MetadataDatabases {
  readonly buckets: Database<BucketRecord, string>;
  /** `bucket\0key` → the key's current object (never a delete marker). */
  readonly objects: Database<ObjectRecord, Buffer>;
  /**
   * `bucket\0key\0<inverted seq>` → the key's other versions: older objects and delete markers,
   * newest first (see store/versions.ts). Empty for buckets that never had versioning.
   */
  readonly versions: Database<VersionRecord, Buffer>;
  /** `bucket\0key` → seq of the key's `null` version while it is an older version. */
  readonly nullVersions: Database<number, Buffer>;
  readonly uploads: Database<UploadRecord, Buffer>;
  readonly parts: Database<PartRecord, Buffer>;
  /** Blob ids no record references any more; deleted after the commit that dropped them. */
  readonly garbage: Database<true, string>;
  /**
   * Blob id → how many records beyond the first hold it (PUT Object - Copy shares blobs instead of
   * copying bytes). Absent means one holder; a release of a blob listed here only counts down.
   */
  readonly blobRefs: Database<number, string>;
  /**
   * Blob id → the bytes of a small blob kept in the index instead of a file (see
   * `INLINE_BLOB_MAX_BYTES` in local-store.ts): written in the same commit as the record that
   * first names it, so a small PUT is one synced commit. Shared, released and collected by id like
   * a file blob (blob-refs, garbage).
   */
  readonly inlineBlobs: Database<Buffer, string>;
  /** The store's own small state by name (`sse-key-ledger`: write-plans.ts' SseKeyLedger). */
  readonly state: Database<unknown, string>;
}

/**
 * Where lmdb-js keeps the shared msgpack structures (property-name lists) of the record tables
 * (objects, versions, parts): each record then refers to its structure by number instead of
 * carrying its definition, which made every read of a record decode the definition and build a
 * reader for it (most of the CPU of a 1000-key listing page; with shared structures a page decodes
 * ~2.5× faster). Records written before keep their own definitions and still read. The key sorts
 * after every record key (which start with a bucket name or upload id, ASCII), so ranged reads
 * never meet it; a scan of a whole table must skip it ({@link isRecordKey}).
 */
const SHARED_STRUCTURES_KEY = Buffer.from([0xff, 0xff, 0x73]);

/** False for the shared-structures entry of a record table (see {@link SHARED_STRUCTURES_KEY}). */
export function isRecordKey(key: Buffer): boolean {
  return !key.equals(SHARED_STRUCTURES_KEY);
}

export class MetadataStore {
  readonly #root: RootDatabase;
  readonly dbs: MetadataDatabases;

  constructor(dir: string) {
    // overlappingSync off: a transaction's promise resolves only after its data is flushed.
    this.#root = open({ path: dir, maxDbs: 16, overlappingSync: false, mapSize: 2 ** 32 });
    this.dbs = {
      buckets: this.#root.openDB<BucketRecord, string>({ name: 'buckets' }),
      objects: this.#root.openDB<ObjectRecord, Buffer>({
        name: 'objects',
        keyEncoding: 'binary',
        sharedStructuresKey: SHARED_STRUCTURES_KEY,
      }),
      versions: this.#root.openDB<VersionRecord, Buffer>({
        name: 'versions',
        keyEncoding: 'binary',
        sharedStructuresKey: SHARED_STRUCTURES_KEY,
      }),
      nullVersions: this.#root.openDB<number, Buffer>({ name: 'null-versions', keyEncoding: 'binary' }),
      uploads: this.#root.openDB<UploadRecord, Buffer>({ name: 'uploads', keyEncoding: 'binary' }),
      parts: this.#root.openDB<PartRecord, Buffer>({
        name: 'parts',
        keyEncoding: 'binary',
        sharedStructuresKey: SHARED_STRUCTURES_KEY,
      }),
      garbage: this.#root.openDB<true, string>({ name: 'garbage' }),
      blobRefs: this.#root.openDB<number, string>({ name: 'blob-refs' }),
      inlineBlobs: this.#root.openDB<Buffer, string>({ name: 'inline-blobs', encoding: 'binary' }),
      state: this.#root.openDB<unknown, string>({ name: 'store-state' }),
    };
  }

  /**
   * Runs `fn` in one write transaction (reads see the transaction's own writes; concurrent calls
   * are batched into one synced commit); resolves with its result once the commit is durable.
   * Throwing inside `fn` rejects the promise but does NOT undo what `fn` already wrote (lmdb 3.5's
   * batched transactions commit it; returning `ABORT` does not either, checked): `fn` must make
   * every check before its first write (see ../write-plans.ts).
   */
  transaction<T>(fn: () => T): Promise<T> {
    return this.#root.transaction(fn);
  }

  async close(): Promise<void> {
    await this.#root.close();
  }
}
