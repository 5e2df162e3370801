/**
 * The in-memory backend of {@link Store}: for tests of applications that talk to COS. Nothing
 * touches the disk, a store starts in microseconds, and every instance is isolated (one per
 * `startServer({ storage: 'memory' })`). Everything is gone when the process ends.
 *
 * Atomicity comes from JavaScript's single thread: a body is read completely first, then each
 * write checks and applies its change in one synchronous step, so no request sees half of it.
 * Records, keys, listings, Complete's checks and the ingest checks are the same modules the local
 * store uses; only where bytes and records live differs.
 *
 * Memory cost: the stored bytes (plus bodies being received), bounded by `maxBytes`.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { type CorsConfiguration, LIMITS } from '@coskit/protocol';
import { BodyDigest, checkDeclaredLength, checkReceived } from '../ingest-checks.js';
import { objectKey, partKey, uploadKey } from '../keys.js';
import { listObjects } from '../list-objects.js';
import { listParts, partsOf } from '../list-parts.js';
import { listUploads } from '../list-uploads.js';
import { assemble } from '../multipart-assembly.js';
import {
  appendTo,
  assembledObject,
  blobsOf,
  copiedObject,
  infoOf,
  type ObjectRecord,
  type PartRecord,
  partOf,
  type Segment,
  type StoredBlob,
  singleBlobObject,
  type UploadRecord,
} from '../records.js';
import type {
  BucketInfo,
  ByteRange,
  CompleteOptions,
  CopyObjectOptions,
  IncomingBody,
  ListObjectsPage,
  ListObjectsQuery,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  ObjectInfo,
  OpenedObject,
  PartInfo,
  RecoveryReport,
  RequestedPart,
  Store,
  StoredHeaders,
  UploadInfo,
  WriteOptions,
} from '../store.js';
import { StoreError } from '../store-error.js';
import { SortedTable } from './sorted-table.js';

export interface MemoryStoreOptions {
  /**
   * Most bytes held at once (stored objects and parts plus bodies being received); a write past
   * it is refused with EntityTooLarge. Default 1 GiB.
   */
  readonly maxBytes?: number;
}

/** A blob held in memory, before it is committed. */
interface HeldBlob extends StoredBlob {
  readonly bytes: Buffer;
}

export class MemoryStore implements Store {
  readonly description = 'memory';
  readonly maxBytes: number;
  readonly #buckets = new Map<string, BucketInfo>();
  readonly #objects = new SortedTable<ObjectRecord>();
  readonly #uploads = new SortedTable<UploadRecord>();
  readonly #parts = new SortedTable<PartRecord>();
  readonly #blobs = new Map<string, Buffer>();
  /** Blob id → records beyond the first that hold it (copies share bytes); absent = one holder. */
  readonly #sharedBy = new Map<string, number>();
  /** Bytes in `#blobs` plus bytes of bodies being received. */
  #heldBytes = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
  }

  /** Bytes held now: stored objects and parts plus bodies being received. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  // ---- bytes ---------------------------------------------------------------------------------

  /** Reads a whole body into memory with the ingest checks, counting it against `maxBytes`. */
  async #ingest(body: IncomingBody, maxSize: number): Promise<HeldBlob> {
    checkDeclaredLength(body, maxSize);
    const blob = await this.#receive(body.stream, maxSize);
    try {
      checkReceived(body, blob.size, blob.md5);
    } catch (err) {
      this.#heldBytes -= blob.size;
      throw err;
    }
    return blob;
  }

  /** Bytes counted in `#heldBytes` from here on until {@link #keep} or {@link #drop}. */
  async #receive(source: AsyncIterable<Uint8Array>, maxSize: number): Promise<HeldBlob> {
    const digest = new BodyDigest(maxSize);
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
        chunks.push(chunk);
      }
    } catch (err) {
      this.#heldBytes -= counted;
      throw err;
    }
    const bytes = Buffer.concat(chunks);
    return { id: randomBytes(16).toString('hex'), size: bytes.byteLength, bytes, ...digest.digest() };
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

  /** Runs a check-then-apply change; if it throws, the new blob is dropped. */
  #commit<T>(blob: HeldBlob | undefined, change: () => T): T {
    try {
      return change();
    } catch (err) {
      if (blob) this.#drop(blob);
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
    if (this.#objects.hasAny(range) || this.#uploads.hasAny(range)) throw new StoreError('BucketNotEmpty');
    this.#buckets.delete(bucket);
  }

  async setBucketCors(bucket: string, cors: CorsConfiguration | undefined): Promise<void> {
    const current = this.#buckets.get(bucket);
    if (!current) throw new StoreError('NoSuchBucket');
    const { cors: _previous, ...rest } = current;
    this.#buckets.set(bucket, cors ? { ...rest, cors } : rest);
  }

  #requireBucket(bucket: string): void {
    if (!this.#buckets.has(bucket)) throw new StoreError('NoSuchBucket');
  }

  // ---- objects -------------------------------------------------------------------------------

  async getObject(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const record = this.#objects.get(objectKey(bucket, key));
    return record && infoOf(record);
  }

  async openObject(bucket: string, key: string): Promise<OpenedObject | undefined> {
    const record = this.#objects.get(objectKey(bucket, key));
    if (!record) return undefined;
    // Holding the Buffers is what keeps the bytes readable after an overwrite or delete.
    const pieces = record.segments.map((s: Segment) => this.#blobs.get(s.blob)!);
    return {
      info: infoOf(record),
      read: (range = { start: 0, end: record.size - 1 }) => Readable.from(slices(pieces, range)),
      close: () => {},
    };
  }

  async putObject(
    bucket: string,
    key: string,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const blob = await this.#ingest(body, LIMITS.maxSinglePutSize);
    return this.#commit(blob, () => {
      this.#requireBucket(bucket);
      if (options.forbidOverwrite && this.#objects.get(objectKey(bucket, key))) {
        throw new StoreError('FileAlreadyExists');
      }
      const record = singleBlobObject(blob, options.headers, false);
      this.#replaceObject(bucket, key, record);
      this.#keep(blob);
      return infoOf(record);
    });
  }

  #replaceObject(bucket: string, key: string, record: ObjectRecord): void {
    const k = objectKey(bucket, key);
    const previous = this.#objects.get(k);
    this.#objects.set(k, record);
    if (previous) this.#release(blobsOf(previous));
  }

  async appendObject(
    bucket: string,
    key: string,
    position: number,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const blob = await this.#ingest(body, LIMITS.maxAppendableObjectSize);
    return this.#commit(blob, () => {
      this.#requireBucket(bucket);
      const k = objectKey(bucket, key);
      const next = appendTo(this.#objects.get(k), position, blob, options.headers);
      this.#objects.set(k, next);
      this.#keep(blob);
      return infoOf(next);
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    this.#requireBucket(bucket);
    const k = objectKey(bucket, key);
    const current = this.#objects.get(k);
    if (!current) return;
    this.#objects.delete(k);
    this.#release(blobsOf(current));
  }

  async deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
    this.#requireBucket(bucket);
    for (const key of keys) {
      const k = objectKey(bucket, key);
      const current = this.#objects.get(k);
      if (!current) continue;
      this.#objects.delete(k);
      this.#release(blobsOf(current));
    }
  }

  async copyObject(
    source: { readonly bucket: string; readonly key: string },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    this.#requireBucket(source.bucket);
    this.#requireBucket(target.bucket);
    const from = this.#objects.get(objectKey(source.bucket, source.key));
    if (!from) throw new StoreError('NoSuchCopySource');
    options.check?.(infoOf(from));
    if (options.forbidOverwrite && this.#objects.get(objectKey(target.bucket, target.key))) {
      throw new StoreError('FileAlreadyExists');
    }
    const record = copiedObject(from, options.headersFor(infoOf(from)));
    // Share before the replace releases the old target: a copy onto itself nets to no change.
    this.#share(blobsOf(from));
    this.#replaceObject(target.bucket, target.key, record);
    return infoOf(record);
  }

  async updateObjectHeaders(
    bucket: string,
    key: string,
    update: (current: ObjectInfo) => StoredHeaders,
  ): Promise<ObjectInfo> {
    this.#requireBucket(bucket);
    const k = objectKey(bucket, key);
    const current = this.#objects.get(k);
    if (!current) throw new StoreError('NoSuchKey');
    const next: ObjectRecord = { ...current, headers: update(infoOf(current)) };
    this.#objects.set(k, next);
    return infoOf(next);
  }

  async listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage> {
    return listObjects(this.#objects, bucket, query);
  }

  // ---- multipart -----------------------------------------------------------------------------

  async initiateUpload(bucket: string, key: string, options: WriteOptions): Promise<string> {
    this.#requireBucket(bucket);
    const uploadId = `${Math.floor(Date.now() / 1000)}${randomBytes(16).toString('hex')}`;
    this.#uploads.set(uploadKey(bucket, key, uploadId), {
      initiated: Date.now(),
      headers: options.headers,
      ...(options.forbidOverwrite ? { forbidOverwrite: true } : {}),
    });
    return uploadId;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo | undefined> {
    return this.#uploads.get(uploadKey(bucket, key, uploadId));
  }

  async putPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: IncomingBody,
  ): Promise<PartInfo> {
    const blob = await this.#ingest(body, LIMITS.maxPartSize);
    return this.#commitPart(bucket, key, uploadId, partNumber, blob);
  }

  async copyPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: OpenedObject,
    range: ByteRange,
  ): Promise<PartInfo> {
    const blob = await this.#receive(source.read(range), LIMITS.maxPartSize);
    return this.#commitPart(bucket, key, uploadId, partNumber, blob);
  }

  #commitPart(bucket: string, key: string, uploadId: string, partNumber: number, blob: HeldBlob): PartInfo {
    return this.#commit(blob, () => {
      if (!this.#uploads.get(uploadKey(bucket, key, uploadId))) throw new StoreError('NoSuchUpload');
      const pk = partKey(uploadId, partNumber);
      const previous = this.#parts.get(pk);
      const record = partOf(blob);
      this.#parts.set(pk, record);
      this.#keep(blob);
      if (previous) this.#release([previous.blob]);
      return record;
    });
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

  async completeUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: readonly RequestedPart[],
    options: CompleteOptions = {},
  ): Promise<ObjectInfo> {
    const uk = uploadKey(bucket, key, uploadId);
    const upload = this.#uploads.get(uk);
    if (!upload) throw new StoreError('NoSuchUpload');
    if ((options.forbidOverwrite || upload.forbidOverwrite) && this.#objects.get(objectKey(bucket, key))) {
      throw new StoreError('FileAlreadyExists');
    }
    const record = assembledObject(
      upload,
      assemble(requested, (n) => this.#parts.get(partKey(uploadId, n))),
    );
    const used = new Set(blobsOf(record));
    this.#replaceObject(bucket, key, record);
    this.#removeParts(uploadId, (id) => !used.has(id));
    this.#uploads.delete(uk);
    return infoOf(record);
  }

  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    const uk = uploadKey(bucket, key, uploadId);
    if (!this.#uploads.get(uk)) throw new StoreError('NoSuchUpload');
    this.#removeParts(uploadId, () => true);
    this.#uploads.delete(uk);
  }

  /** Deletes every part record of an upload, releasing the blobs `free` selects. */
  #removeParts(uploadId: string, free: (blob: string) => boolean): void {
    const all = [...partsOf(this.#parts, uploadId)];
    for (const { key, value } of all) {
      this.#parts.delete(key);
      if (free(value.blob)) this.#release([value.blob]);
    }
  }

  async listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage> {
    return listUploads(this.#uploads, bucket, query);
  }
}

/** The parts of `pieces` (an object's bytes, in order) that fall in `range`. */
function* slices(pieces: readonly Buffer[], range: ByteRange): Generator<Buffer> {
  let offset = 0;
  for (const piece of pieces) {
    const from = Math.max(range.start - offset, 0);
    const to = Math.min(range.end - offset + 1, piece.byteLength);
    offset += piece.byteLength;
    if (to > from) yield piece.subarray(from, to);
    if (offset > range.end) return;
  }
}
