/**
 * The in-memory backend of {@link Store}: for tests of applications that talk to COS. Nothing
 * touches the disk, a store starts in microseconds, and every instance is isolated (one per
 * `startServer({ storage: 'memory' })`). Everything is gone when the process ends.
 *
 * Atomicity comes from JavaScript's single thread: a body is read completely first, then each
 * write checks and applies its change in one synchronous step, so no request sees half of it.
 * What every write checks and changes (../write-plans.ts), records, keys, listings, Complete's
 * checks and the ingest checks are the same modules the local store uses; only where bytes and
 * records live differs.
 *
 * Memory cost: the stored bytes (plus bodies being received), bounded by `maxBytes`.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CorsConfiguration, VersioningStatus } from '@coskit/protocol';
import { blobCipher, newBlobNonce } from '../encryption.js';
import { BodyDigest } from '../ingest-checks.js';
import { objectKey, uploadKey } from '../keys.js';
import { listObjects } from '../list-objects.js';
import { listParts } from '../list-parts.js';
import { listUploads } from '../list-uploads.js';
import { listObjectVersions } from '../list-versions.js';
import type { MutableTable } from '../ordered-table.js';
import type {
  ObjectRecord,
  PartRecord,
  Segment,
  StoredBlob,
  UploadRecord,
  VersionRecord,
} from '../records.js';
import { ephemeralServerKey, type ServerKeySource } from '../server-key-file.js';
import type {
  BucketInfo,
  ByteRange,
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
import { SortedTable } from './sorted-table.js';

export interface MemoryStoreOptions {
  /**
   * Most bytes held at once (stored objects and parts plus bodies being received); a write past
   * it is refused with EntityTooLarge. Default 1 GiB.
   */
  readonly maxBytes?: number;
  /** The SSE-COS key. Default: a random key of this instance (objects live no longer anyway). */
  readonly serverKey?: ServerKeySource;
}

/** A blob held in memory, before it is committed. */
interface HeldBlob extends StoredBlob {
  readonly bytes: Buffer;
}

/**
 * The object and multipart writes are the shared plans of {@link WritePlanStore}; this class
 * supplies the Buffers, the sorted tables and a commit that is one synchronous step.
 */
export class MemoryStore extends WritePlanStore<HeldBlob> implements Store {
  readonly description = 'memory';
  readonly maxBytes: number;
  readonly #buckets = new Map<string, BucketInfo>();
  readonly #objects = new SortedTable<ObjectRecord>();
  /** Older versions and delete markers, as in the local store (see versions.ts). */
  readonly #versions = new SortedTable<VersionRecord>();
  readonly #nullVersions = new SortedTable<number>();
  readonly #versionTables: VersionTables = {
    objects: this.#objects,
    versions: this.#versions,
    nullVersions: this.#nullVersions,
  };
  readonly #uploads = new SortedTable<UploadRecord>();
  readonly #parts = new SortedTable<PartRecord>();
  readonly #blobs = new Map<string, Buffer>();
  /** Blob id → records beyond the first that hold it (copies share bytes); absent = one holder. */
  readonly #sharedBy = new Map<string, number>();
  /** Bytes in `#blobs` plus bytes of bodies being received. */
  #heldBytes = 0;
  readonly #serverKeySource: ServerKeySource;

  constructor(options: MemoryStoreOptions = {}) {
    super();
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
    this.#serverKeySource = options.serverKey ?? ephemeralServerKey();
  }

  /** Bytes held now: stored objects and parts plus bodies being received. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  // ---- bytes ---------------------------------------------------------------------------------

  /**
   * Bytes counted in `#heldBytes` from here on until {@link #keep} or {@link #drop}; hashed as
   * they come, then kept encrypted under `encryptWith` when it is given.
   */
  async #receive(
    source: AsyncIterable<Uint8Array>,
    maxSize: number,
    encryptWith?: Buffer,
  ): Promise<HeldBlob> {
    const digest = new BodyDigest(maxSize);
    const nonce = encryptWith ? newBlobNonce() : undefined;
    const cipher = encryptWith && nonce ? blobCipher(encryptWith, nonce) : undefined;
    const chunks: Uint8Array[] = [];
    let counted = 0;
    try {
      for await (const chunk of source) {
        digest.update(chunk);
        counted += chunk.byteLength;
        this.#heldBytes += chunk.byteLength;
        if (this.#heldBytes > this.maxBytes) {
          throw new StoreError(
            'EntityTooLarge',
            `The in-memory store holds at most ${this.maxBytes} bytes; give it a larger maxBytes.`,
          );
        }
        chunks.push(cipher ? cipher.update(chunk) : chunk);
      }
    } catch (err) {
      this.#heldBytes -= counted;
      throw err;
    }
    const bytes = Buffer.concat(chunks);
    const id = randomBytes(16).toString('hex');
    const held = { id, size: bytes.byteLength, bytes, ...digest.digest() };
    return nonce === undefined ? held : { ...held, nonce };
  }

  /** Inside a commit: the blob is now referenced. */
  #keep(blob: HeldBlob): void {
    this.#blobs.set(blob.id, blob.bytes);
  }

  /** A received blob that no commit will reference. */
  #drop(blob: HeldBlob): void {
    this.#heldBytes -= blob.size;
  }

  /** One more record holds these blobs (a copy). */
  #share(ids: Iterable<string>): void {
    for (const id of ids) this.#sharedBy.set(id, (this.#sharedBy.get(id) ?? 0) + 1);
  }

  /**
   * Frees blobs a change made unreachable (open readers keep their Buffers alive); a blob another
   * record still holds is only counted down.
   */
  #release(ids: Iterable<string>): void {
    for (const id of ids) {
      const others = this.#sharedBy.get(id) ?? 0;
      if (others > 0) {
        if (others === 1) this.#sharedBy.delete(id);
        else this.#sharedBy.set(id, others - 1);
        continue;
      }
      const bytes = this.#blobs.get(id);
      if (!bytes) continue;
      this.#blobs.delete(id);
      this.#heldBytes -= bytes.byteLength;
    }
  }

  // ---- storage for the shared write plans (see ../write-plans.ts) -------------------------

  protected get versionTables(): VersionTables {
    return this.#versionTables;
  }

  protected get uploads(): MutableTable<UploadRecord> {
    return this.#uploads;
  }

  protected get parts(): MutableTable<PartRecord> {
    return this.#parts;
  }

  protected get serverKey(): ServerKeySource {
    return this.#serverKeySource;
  }

  protected bucketRecord(name: string): BucketInfo | undefined {
    return this.#buckets.get(name);
  }

  #keyLedger: SseKeyLedger | undefined;

  protected readKeyLedger(): SseKeyLedger | undefined {
    return this.#keyLedger;
  }

  protected async updateKeyLedger(update: (now: SseKeyLedger | undefined) => SseKeyLedger): Promise<void> {
    this.#keyLedger = update(this.#keyLedger);
  }

  /** Holding the Buffers is what keeps the bytes readable after an overwrite or delete. */
  protected holdBlobs(record: ObjectRecord): HeldBlobs {
    const pieces = record.segments.map((s: Segment) => ({ bytes: this.#blobs.get(s.blob)!, nonce: s.nonce }));
    return {
      read: (range, root) => Readable.from(slices(pieces, range, root)),
      readAll: async (range, root) => Buffer.concat([...slices(pieces, range, root)]),
      close: () => {},
    };
  }

  /** Reads a whole stream into memory, counting it against `maxBytes`; a refused blob is dropped. */
  protected async writeBlob(source: AsyncIterable<Uint8Array>, how: BlobWrite): Promise<HeldBlob> {
    const blob = await this.#receive(source, how.maxSize, how.encryptWith);
    try {
      how.accept?.(blob);
    } catch (err) {
      this.#drop(blob);
      throw err;
    }
    return blob;
  }

  /**
   * Runs a check-then-apply change in one synchronous step (nothing else runs in between); if it
   * throws (before it wrote anything: see ../write-plans.ts), the new blob is dropped.
   */
  protected async commitChange<T>(
    _operation: WriteOperation,
    written: HeldBlob | undefined,
    change: (release: Release, share: Share) => T,
  ): Promise<T> {
    try {
      const result = change(
        (ids) => this.#release(ids),
        (ids) => this.#share(ids),
      );
      if (written) this.#keep(written);
      return result;
    } catch (err) {
      if (written) this.#drop(written);
      throw err;
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async recover(): Promise<RecoveryReport> {
    return { tempFiles: 0, garbageBlobs: 0 };
  }

  async sweep(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}

  // ---- buckets -------------------------------------------------------------------------------

  async getBucket(bucket: string): Promise<BucketInfo | undefined> {
    return this.#buckets.get(bucket);
  }

  async listBuckets(): Promise<{ name: string; info: BucketInfo }[]> {
    return [...this.#buckets.keys()]
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((name) => ({ name, info: this.#buckets.get(name)! }));
  }

  async createBucket(bucket: string, info: BucketInfo): Promise<boolean> {
    if (this.#buckets.has(bucket)) return false;
    this.#buckets.set(bucket, info);
    return true;
  }

  async deleteBucket(bucket: string): Promise<void> {
    if (!this.#buckets.has(bucket)) throw new StoreError('NoSuchBucket');
    const range = { start: objectKey(bucket, ''), end: objectKey(`${bucket}\u0001`, '') };
    if (
      this.#objects.hasAny(range) ||
      this.#uploads.hasAny(range) ||
      hasOlderVersions(this.#versionTables, bucket)
    )
      throw new StoreError('BucketNotEmpty');
    this.#buckets.delete(bucket);
  }

  async setBucketCors(bucket: string, cors: CorsConfiguration | undefined): Promise<void> {
    const current = this.#buckets.get(bucket);
    if (!current) throw new StoreError('NoSuchBucket');
    const { cors: _previous, ...rest } = current;
    this.#buckets.set(bucket, cors ? { ...rest, cors } : rest);
  }

  async setBucketVersioning(bucket: string, status: VersioningStatus): Promise<void> {
    const current = this.#buckets.get(bucket);
    if (!current) throw new StoreError('NoSuchBucket');
    this.#buckets.set(bucket, { ...current, versioning: status });
  }

  // ---- objects -------------------------------------------------------------------------------

  async listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage> {
    return listObjects(this.#objects, bucket, query);
  }

  async listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage> {
    return listObjectVersions(this.#versionTables, bucket, query);
  }

  // ---- multipart -----------------------------------------------------------------------------

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo | undefined> {
    return this.#uploads.get(uploadKey(bucket, key, uploadId));
  }

  async listParts(
    _bucket: string,
    _key: string,
    uploadId: string,
    marker: number,
    max: number,
  ): Promise<ListPartsPage> {
    return listParts(this.#parts, uploadId, marker, max);
  }

  async listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage> {
    return listUploads(this.#uploads, bucket, query);
  }
}

/**
 * The parts of `pieces` (an object's bytes, in order) that fall in `range`, decrypted with `root`
 * where a piece is encrypted.
 */
function* slices(
  pieces: readonly { bytes: Buffer; nonce?: string | undefined }[],
  range: ByteRange,
  root: Buffer | undefined,
): Generator<Buffer> {
  let offset = 0;
  for (const { bytes, nonce } of pieces) {
    const from = Math.max(range.start - offset, 0);
    const to = Math.min(range.end - offset + 1, bytes.byteLength);
    offset += bytes.byteLength;
    if (to > from) {
      const slice = bytes.subarray(from, to);
      yield nonce !== undefined && root ? blobCipher(root, nonce, from).update(slice) : slice;
    }
    if (offset > range.end) return;
  }
}
