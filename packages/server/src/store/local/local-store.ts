/**
 * The durable local backend of {@link Store}: blob files plus a transactional LMDB index.
 *
 * Write order for every mutation: blob bytes durable (temp → fsync → rename → dir fsync), then the
 * metadata commit (synced), then deletion of blobs the commit made unreachable. A crash at any
 * point leaves the old state or the new one; recovery only frees space. Every mutation goes
 * through {@link LocalStore.#commit}, the one place that pattern is written.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type CorsConfiguration, LIMITS, type VersioningStatus } from '@coskit/protocol';
import type { Database } from 'lmdb';
import {
  checkCustomerKey,
  copyCanShare,
  type EncryptionRequest,
  rootKeyOf,
  type ServerKey,
  type StoredEncryption,
  storedEncryptionFor,
} from '../encryption.js';
import { BodyDigest, checkDeclaredLength, checkReceived } from '../ingest-checks.js';
import { objectKey, partKey, partNumberOf, uploadKey } from '../keys.js';
import { listObjects } from '../list-objects.js';
import { listParts, partsOf } from '../list-parts.js';
import { listUploads } from '../list-uploads.js';
import { listObjectVersions } from '../list-versions.js';
import { assemble } from '../multipart-assembly.js';
import type { MutableTable } from '../ordered-table.js';
import {
  appendTo,
  assembledObject,
  blobsOf,
  copiedObject,
  infoOf,
  isDeleteMarker,
  type ObjectRecord,
  type PartRecord,
  partOf,
  type StoredBlob,
  segmentOf,
  singleBlobObject,
} from '../records.js';
import { type ServerKeySource, serverKeyFile } from '../server-key-file.js';
import type {
  BucketInfo,
  ByteRange,
  CompleteOptions,
  CopyObjectOptions,
  DeleteMarkerInfo,
  DeleteOutcome,
  DeleteTarget,
  IncomingBody,
  ListObjectsPage,
  ListObjectsQuery,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  ListVersionsPage,
  ListVersionsQuery,
  ObjectInfo,
  OpenedObject,
  PartInfo,
  PartOptions,
  ReadOptions,
  RecoveryReport,
  RequestedPart,
  Store,
  StoredHeaders,
  UploadInfo,
  WriteOptions,
} from '../store.js';
import { StoreError } from '../store-error.js';
import {
  deleteLatest,
  deleteVersion,
  hasOlderVersions,
  latestDeleteMarker,
  readVersion,
  refuseAppendIfVersioned,
  updateVersion,
  type VersionTables,
  writeVersion,
} from '../versions.js';
import { type BlobDigest, type BlobStep, BlobStore } from './blobs.js';
import { FANOUT, planCompaction, stillHolds } from './compaction.js';
import { HashPool } from './hash-pool.js';
import { MetadataStore } from './metadata.js';
import { findOrphans } from './recovery.js';

/** Releases blobs a change made unreachable: inside the transaction, by id. */
type Release = (ids: Iterable<string>) => void;
/** Records that one more record holds these blobs (a copy): inside the transaction, by id. */
type Share = (ids: Iterable<string>) => void;

/** What a write is doing, for {@link LocalStoreOptions.onStep}. */
export type LocalOperation =
  | 'put'
  | 'append'
  | 'delete'
  | 'part'
  | 'complete'
  | 'abort'
  | 'bucket'
  | 'upload'
  | 'compact'
  | 'delete-multiple'
  | 'copy'
  | 'headers'
  | 'versioning';

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

/** A merge found nothing to do: the object changed while the merged blob was being written. */
class StaleCompaction extends Error {}

/** A sharing copy found, inside its commit, a source it cannot share (it changed meanwhile). */
class CopyMustReencrypt extends Error {}

/** How a new write is stored: its record (none = in the clear) and the root key of its blobs. */
interface WriteEncryption {
  readonly stored?: StoredEncryption | undefined;
  readonly root?: Buffer | undefined;
}

export class LocalStore implements Store {
  readonly description: string;
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
    this.description = `local (${dataDir})`;
    this.#options = options;
    this.#serverKey = options.serverKey ?? serverKeyFile(join(dataDir, 'sse-cos.key'));
    this.#blobs = new BlobStore(dataDir);
    this.#meta = new MetadataStore(join(dataDir, 'meta'));
  }

  /** Opens (creating if needed) the store under `dataDir`. Run {@link recover} before serving. */
  static async open(dataDir: string, options: LocalStoreOptions = {}): Promise<LocalStore> {
    const store = new LocalStore(dataDir, options);
    await store.#blobs.init();
    store.#hashPool.warm();
    return store;
  }

  async close(): Promise<void> {
    await this.settled();
    await this.#hashPool.close();
    await this.#meta.close();
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
    await this.#blobs.remove(ids);
    this.#step('collected', operation);
    const { garbage } = this.#meta.dbs;
    await this.#meta.transaction(() => {
      for (const id of ids) garbage.removeSync(id);
    });
  }

  /**
   * Streams a body into a durable blob with the ingest checks; a refused body is never published
   * (see {@link BlobStore.write}).
   */
  #ingest(
    body: IncomingBody,
    maxSize: number,
    operation: LocalOperation,
    encryptWith?: Buffer,
  ): Promise<StoredBlob> {
    checkDeclaredLength(body, maxSize);
    return this.#blobs.write(body.stream, this.#digest(body.declaredLength, maxSize), {
      accept: (blob) => checkReceived(body, blob.size, blob.md5),
      onStep: (step) => this.#step(step, operation),
      encryptWith,
    });
  }

  // ---- encryption (see ../encryption.ts) -----------------------------------------------------

  /** The record and root key of a write asked to be stored as `request` says (loads the SSE-COS key). */
  async #encryptionFor(request: EncryptionRequest | undefined): Promise<WriteEncryption> {
    if (!request) return {};
    const server = request.type === 'SSE-COS' ? await this.#serverKey.get() : undefined;
    const stored = storedEncryptionFor(request, () => server!);
    return { stored, root: request.type === 'SSE-C' ? request.key : server!.key };
  }

  /** The root key to read blobs stored as `stored` says (`customerKey` checked beforehand). */
  async #rootFor(
    stored: StoredEncryption | undefined,
    customerKey: Buffer | undefined,
  ): Promise<Buffer | undefined> {
    const server = stored?.type === 'SSE-COS' ? await this.#serverKey.get() : undefined;
    return rootKeyOf(stored, () => server!, customerKey);
  }

  /** MD5 + CRC-64 for a body of `expected` bytes (undefined: unknown), inline or pooled by size. */
  #digest(expected: number | undefined, maxSize: number): BlobDigest {
    if (expected !== undefined && expected < POOLED_HASH_MIN_BYTES) return new BodyDigest(maxSize);
    return this.#hashPool.digest(maxSize);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async recover(): Promise<RecoveryReport> {
    const tempFiles = await this.#blobs.clearTemp();
    const ids = [...this.#meta.dbs.garbage.getKeys()];
    await this.#collect(ids, 'delete');
    return { tempFiles, garbageBlobs: ids.length };
  }

  async sweep(startedBefore: number): Promise<number> {
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

  /** The bucket's record (inside a commit: as of that commit). NoSuchBucket. */
  #requireBucket(bucket: string): BucketInfo {
    const info = this.#meta.dbs.buckets.get(bucket);
    if (!info) throw new StoreError('NoSuchBucket');
    return info;
  }

  // ---- objects -------------------------------------------------------------------------------

  /** The object a read means, or undefined (missing, or a delete marker). */
  #readObject(bucket: string, key: string, options: ReadOptions): ObjectRecord | undefined {
    const record = readVersion(this.#versionTables, bucket, key, options.versionId);
    return record && !isDeleteMarker(record) ? record : undefined;
  }

  async getObject(bucket: string, key: string, options: ReadOptions = {}): Promise<ObjectInfo | undefined> {
    const record = this.#readObject(bucket, key, options);
    return record && infoOf(record);
  }

  async getDeleteMarker(
    bucket: string,
    key: string,
    options: ReadOptions = {},
  ): Promise<DeleteMarkerInfo | undefined> {
    const tables = this.#versionTables;
    if (options.versionId === undefined) return latestDeleteMarker(tables, bucket, key);
    const record = readVersion(tables, bucket, key, options.versionId);
    return record && isDeleteMarker(record) ? record : undefined;
  }

  async openObject(
    bucket: string,
    key: string,
    options: ReadOptions = {},
  ): Promise<OpenedObject | undefined> {
    const record = this.#readObject(bucket, key, options);
    if (!record) return undefined;
    // Pinned in the same tick as the read of the record: no commit can free the blobs in between.
    const unpin = this.#blobs.pin(blobsOf(record));
    let root: Buffer | undefined;
    try {
      checkCustomerKey(record.encryption, options.customerKey);
      root = await this.#rootFor(record.encryption, options.customerKey);
    } catch (err) {
      unpin();
      throw err;
    }
    return {
      info: infoOf(record),
      read: (range) => this.#read(record, range, root),
      close: unpin,
    };
  }

  #read(
    record: ObjectRecord,
    range: ByteRange = { start: 0, end: record.size - 1 },
    root?: Buffer,
  ): Readable {
    if (range.end < range.start) return Readable.from([]);
    return this.#blobs.read(record.segments, range.start, range.end, root);
  }

  async putObject(
    bucket: string,
    key: string,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const encryption = await this.#encryptionFor(options.encryption);
    const blob = await this.#ingest(body, LIMITS.maxSinglePutSize, 'put', encryption.root);
    const record = singleBlobObject(
      blob,
      { ...options.headers, ...body.headersAtEnd?.() },
      false,
      encryption.stored,
    );
    const stored = await this.#commit('put', [blob.id], (release) => {
      const { versioning } = this.#requireBucket(bucket);
      return writeVersion(
        this.#versionTables,
        versioning,
        bucket,
        key,
        record,
        release,
        options.forbidOverwrite,
        options.targetCheck,
      );
    });
    return infoOf(stored);
  }

  async appendObject(
    bucket: string,
    key: string,
    position: number,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    if (options.encryption) {
      throw new StoreError('InvalidArgument', 'APPEND Object does not support server-side encryption.');
    }
    const blob = await this.#ingest(body, LIMITS.maxAppendableObjectSize, 'append');
    const { objects } = this.#meta.dbs;
    const k = objectKey(bucket, key);
    const record = await this.#commit('append', [blob.id], () => {
      refuseAppendIfVersioned(this.#requireBucket(bucket).versioning);
      const next = appendTo(objects.get(k), position, blob, options.headers);
      objects.putSync(k, next);
      return next;
    });
    if (planCompaction(record.segments)) this.#scheduleCompaction(bucket, key);
    return infoOf(record);
  }

  deleteObject(bucket: string, key: string, options: ReadOptions = {}): Promise<DeleteOutcome> {
    return this.#commit('delete', [], (release) => {
      const { versioning } = this.#requireBucket(bucket);
      const tables = this.#versionTables;
      return options.versionId === undefined
        ? deleteLatest(tables, versioning, bucket, key, release)
        : deleteVersion(tables, bucket, key, options.versionId, release);
    });
  }

  deleteObjects(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteOutcome[]> {
    return this.#commit('delete-multiple', [], (release) => {
      const { versioning } = this.#requireBucket(bucket);
      const tables = this.#versionTables;
      return targets.map((target) =>
        target.versionId === undefined
          ? deleteLatest(tables, versioning, bucket, target.key, release)
          : deleteVersion(tables, bucket, target.key, target.versionId, release),
      );
    });
  }

  async copyObject(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    const peek = readVersion(this.#versionTables, source.bucket, source.key, source.versionId);
    const peeked = peek && !isDeleteMarker(peek) ? peek : undefined;
    const involvesServerKey =
      peeked?.encryption?.type === 'SSE-COS' || options.encryption?.type === 'SSE-COS';
    const server = involvesServerKey ? await this.#serverKey.get() : undefined;
    const serverKey = () => server!;
    if (!peeked || copyCanShare(peeked.encryption, options.encryption, serverKey)) {
      try {
        return await this.#copySharing(source, target, options, serverKey);
      } catch (err) {
        if (!(err instanceof CopyMustReencrypt)) throw err;
      }
    }
    return this.#copyReencrypting(source, target, options);
  }

  /** The copy as one commit: the target names the source's blobs (counted as held once more). */
  #copySharing(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
    serverKey: () => ServerKey,
  ): Promise<ObjectInfo> {
    return this.#commit('copy', [], (release, share) => {
      this.#requireBucket(source.bucket);
      const { versioning } = this.#requireBucket(target.bucket);
      const tables = this.#versionTables;
      const from = readVersion(tables, source.bucket, source.key, source.versionId);
      if (!from) throw new StoreError(source.versionId === undefined ? 'NoSuchCopySource' : 'NoSuchVersion');
      if (isDeleteMarker(from))
        throw new StoreError('NoSuchCopySource', 'The copy source is a delete marker.');
      checkCustomerKey(from.encryption, options.sourceCustomerKey, 'copy source');
      if (!copyCanShare(from.encryption, options.encryption, serverKey)) throw new CopyMustReencrypt();
      options.check?.(infoOf(from));
      const record = copiedObject(from, options.headersFor(infoOf(from)), from);
      // Share before releasing: a copy onto itself then nets to no change in the counts.
      share(blobsOf(from));
      const stored = writeVersion(
        tables,
        versioning,
        target.bucket,
        target.key,
        record,
        release,
        options.forbidOverwrite,
        options.targetCheck,
      );
      return infoOf(stored);
    });
  }

  /**
   * A copy that changes the encryption: the source as it is now is decrypted and re-encrypted into
   * one new blob (a real byte copy, O(size)), then committed. `check` sees that snapshot.
   */
  async #copyReencrypting(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    this.#requireBucket(source.bucket);
    this.#requireBucket(target.bucket);
    const customerKey = options.sourceCustomerKey;
    const current = readVersion(this.#versionTables, source.bucket, source.key, source.versionId);
    if (!current) throw new StoreError(source.versionId === undefined ? 'NoSuchCopySource' : 'NoSuchVersion');
    if (isDeleteMarker(current))
      throw new StoreError('NoSuchCopySource', 'The copy source is a delete marker.');
    checkCustomerKey(current.encryption, customerKey, 'copy source');
    const opened = await this.openObject(source.bucket, source.key, {
      versionId: source.versionId,
      customerKey,
    });
    if (!opened) throw new StoreError('NoSuchCopySource');
    try {
      options.check?.(opened.info);
      const encryption = await this.#encryptionFor(options.encryption);
      const blob = await this.#blobs.write(
        opened.read(),
        this.#digest(opened.info.size, LIMITS.maxCopyObjectSize),
        { onStep: (step) => this.#step(step, 'copy'), encryptWith: encryption.root },
      );
      const record = copiedObject(opened.info, options.headersFor(opened.info), {
        segments: [segmentOf(blob)],
        encryption: encryption.stored,
      });
      return await this.#commit('copy', [blob.id], (release) => {
        const { versioning } = this.#requireBucket(target.bucket);
        const stored = writeVersion(
          this.#versionTables,
          versioning,
          target.bucket,
          target.key,
          record,
          release,
          options.forbidOverwrite,
        );
        return infoOf(stored);
      });
    } finally {
      opened.close();
    }
  }

  async updateObjectHeaders(
    bucket: string,
    key: string,
    update: (current: ObjectInfo) => StoredHeaders,
    options: ReadOptions = {},
  ): Promise<ObjectInfo> {
    return this.#commit('headers', [], () => {
      this.#requireBucket(bucket);
      const next = updateVersion(this.#versionTables, bucket, key, options.versionId, (current) => ({
        ...current,
        headers: update(infoOf(current)),
      }));
      return infoOf(next);
    });
  }

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

  async initiateUpload(bucket: string, key: string, options: WriteOptions): Promise<string> {
    const uploadId = `${Math.floor(Date.now() / 1000)}${randomBytes(16).toString('hex')}`;
    const { uploads } = this.#meta.dbs;
    const { stored } = await this.#encryptionFor(options.encryption);
    await this.#commit('upload', [], () => {
      this.#requireBucket(bucket);
      uploads.putSync(uploadKey(bucket, key, uploadId), {
        initiated: Date.now(),
        headers: options.headers,
        ...(options.forbidOverwrite ? { forbidOverwrite: true } : {}),
        ...(stored ? { encryption: stored } : {}),
        ...(options.checksum ? { checksum: options.checksum } : {}),
      });
    });
    return uploadId;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo | undefined> {
    return this.#meta.dbs.uploads.get(uploadKey(bucket, key, uploadId));
  }

  async putPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: IncomingBody,
    options: PartOptions = {},
  ): Promise<PartInfo> {
    const root = await this.#partRoot(bucket, key, uploadId, options);
    const blob = await this.#ingest(body, LIMITS.maxPartSize, 'part', root);
    return this.#commitPart(bucket, key, uploadId, partNumber, blob, options);
  }

  /** The root key parts of an upload are encrypted with (its SSE-C key checked); NoSuchUpload. */
  async #partRoot(
    bucket: string,
    key: string,
    uploadId: string,
    options: PartOptions,
  ): Promise<Buffer | undefined> {
    const upload = this.#meta.dbs.uploads.get(uploadKey(bucket, key, uploadId));
    if (!upload) throw new StoreError('NoSuchUpload');
    checkCustomerKey(upload.encryption, options.customerKey, 'upload');
    return this.#rootFor(upload.encryption, options.customerKey);
  }

  async copyPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: OpenedObject,
    range: ByteRange,
    options: PartOptions = {},
  ): Promise<PartInfo> {
    const root = await this.#partRoot(bucket, key, uploadId, options);
    const blob = await this.#blobs.write(
      source.read(range),
      this.#digest(range.end - range.start + 1, LIMITS.maxPartSize),
      {
        onStep: (step) => this.#step(step, 'part'),
        encryptWith: root,
      },
    );
    return this.#commitPart(bucket, key, uploadId, partNumber, blob, options);
  }

  /** Records a part; a re-upload of the same number replaces it. Fails if the upload is gone. */
  async #commitPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    blob: StoredBlob,
    options: PartOptions,
  ): Promise<PartInfo> {
    const { uploads, parts } = this.#meta.dbs;
    const record: PartRecord = partOf(blob, options);
    await this.#commit('part', [blob.id], (release) => {
      if (!uploads.get(uploadKey(bucket, key, uploadId))) throw new StoreError('NoSuchUpload');
      const pk = partKey(uploadId, partNumber);
      const previous = parts.get(pk);
      parts.putSync(pk, record);
      if (previous) release([previous.blob]);
    });
    return record;
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

  async completeUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: readonly RequestedPart[],
    options: CompleteOptions = {},
  ): Promise<ObjectInfo> {
    const { uploads, parts } = this.#meta.dbs;
    const record = await this.#commit('complete', [], (release) => {
      const uk = uploadKey(bucket, key, uploadId);
      const upload = uploads.get(uk);
      if (!upload) throw new StoreError('NoSuchUpload');
      // One range scan reads every part (then looked up by number, and reused to drop them):
      // 10,000 point reads cost about twice as much.
      // Keys are copied: a range iterator may reuse its key buffer.
      const stored: { key: Buffer; value: PartRecord }[] = [];
      const byNumber = new Map<number, PartRecord>();
      for (const { key: pk, value } of partsOf(parts, uploadId)) {
        stored.push({ key: Buffer.from(pk), value });
        byNumber.set(partNumberOf(pk), value);
      }
      const result = assembledObject(
        upload,
        assemble(requested, (n) => byNumber.get(n), upload.checksum, options.checksum),
      );
      const used = new Set(blobsOf(result));
      const { versioning } = this.#requireBucket(bucket);
      const forbid = options.forbidOverwrite || upload.forbidOverwrite;
      const object = writeVersion(
        this.#versionTables,
        versioning,
        bucket,
        key,
        result,
        release,
        forbid,
        options.targetCheck,
      );
      for (const { key: pk, value } of stored) {
        if (!used.has(value.blob)) release([value.blob]);
        parts.removeSync(pk);
      }
      uploads.removeSync(uk);
      return object;
    });
    return infoOf(record);
  }

  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    const { uploads, parts } = this.#meta.dbs;
    await this.#commit('abort', [], (release) => {
      const uk = uploadKey(bucket, key, uploadId);
      if (!uploads.get(uk)) throw new StoreError('NoSuchUpload');
      for (const { key: pk, value } of partsOf(parts, uploadId)) {
        release([value.blob]);
        parts.removeSync(pk);
      }
      uploads.removeSync(uk);
    });
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
