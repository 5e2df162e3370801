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
import { type CorsConfiguration, LIMITS, type VersioningStatus } from '@coskit/protocol';
import {
  blobCipher,
  checkCustomerKey,
  copyCanShare,
  type EncryptionRequest,
  newBlobNonce,
  rootKeyOf,
  type ServerKey,
  type StoredEncryption,
  storedEncryptionFor,
} from '../encryption.js';
import { BodyDigest, checkDeclaredLength, checkReceived } from '../ingest-checks.js';
import { objectKey, partKey, uploadKey } from '../keys.js';
import { listObjects } from '../list-objects.js';
import { listParts, partsOf } from '../list-parts.js';
import { listUploads } from '../list-uploads.js';
import { listObjectVersions } from '../list-versions.js';
import { assemble } from '../multipart-assembly.js';
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
  type Segment,
  type StoredBlob,
  segmentOf,
  singleBlobObject,
  type UploadRecord,
  type VersionRecord,
} from '../records.js';
import { ephemeralServerKey, type ServerKeySource } from '../server-key-file.js';
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

export class MemoryStore implements Store {
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
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
    this.#serverKeySource = options.serverKey ?? ephemeralServerKey();
  }

  // ---- encryption (see ../encryption.ts) -----------------------------------------------------

  async #encryptionFor(
    request: EncryptionRequest | undefined,
  ): Promise<{ stored?: StoredEncryption | undefined; root?: Buffer | undefined }> {
    if (!request) return {};
    const server = request.type === 'SSE-COS' ? await this.#serverKeySource.get() : undefined;
    return {
      stored: storedEncryptionFor(request, () => server!),
      root: request.type === 'SSE-C' ? request.key : server!.key,
    };
  }

  async #rootFor(
    stored: StoredEncryption | undefined,
    customerKey: Buffer | undefined,
  ): Promise<Buffer | undefined> {
    const server = stored?.type === 'SSE-COS' ? await this.#serverKeySource.get() : undefined;
    return rootKeyOf(stored, () => server!, customerKey);
  }

  /** Bytes held now: stored objects and parts plus bodies being received. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  // ---- bytes ---------------------------------------------------------------------------------

  /** Reads a whole body into memory with the ingest checks, counting it against `maxBytes`. */
  async #ingest(body: IncomingBody, maxSize: number, encryptWith?: Buffer): Promise<HeldBlob> {
    checkDeclaredLength(body, maxSize);
    const blob = await this.#receive(body.stream, maxSize, encryptWith);
    try {
      checkReceived(body, blob.size, blob.md5);
    } catch (err) {
      this.#heldBytes -= blob.size;
      throw err;
    }
    return blob;
  }

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

  #requireBucket(bucket: string): BucketInfo {
    const info = this.#buckets.get(bucket);
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
    if (options.versionId === undefined) return latestDeleteMarker(this.#versionTables, bucket, key);
    const record = readVersion(this.#versionTables, bucket, key, options.versionId);
    return record && isDeleteMarker(record) ? record : undefined;
  }

  async openObject(
    bucket: string,
    key: string,
    options: ReadOptions = {},
  ): Promise<OpenedObject | undefined> {
    const record = this.#readObject(bucket, key, options);
    if (!record) return undefined;
    // Holding the Buffers is what keeps the bytes readable after an overwrite or delete.
    const pieces = record.segments.map((s: Segment) => ({ bytes: this.#blobs.get(s.blob)!, nonce: s.nonce }));
    checkCustomerKey(record.encryption, options.customerKey);
    const root = await this.#rootFor(record.encryption, options.customerKey);
    return {
      info: infoOf(record),
      read: (range = { start: 0, end: record.size - 1 }) => Readable.from(slices(pieces, range, root)),
      close: () => {},
    };
  }

  async putObject(
    bucket: string,
    key: string,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const encryption = await this.#encryptionFor(options.encryption);
    const blob = await this.#ingest(body, LIMITS.maxSinglePutSize, encryption.root);
    return this.#commit(blob, () => {
      const { versioning } = this.#requireBucket(bucket);
      const record = singleBlobObject(
        blob,
        { ...options.headers, ...body.headersAtEnd?.() },
        false,
        encryption.stored,
      );
      const stored = this.#writeVersion(
        versioning,
        bucket,
        key,
        record,
        options.forbidOverwrite,
        options.targetCheck,
      );
      this.#keep(blob);
      return infoOf(stored);
    });
  }

  #writeVersion(
    versioning: VersioningStatus | undefined,
    bucket: string,
    key: string,
    record: ObjectRecord,
    forbidOverwrite?: boolean,
    targetCheck?: (current: ObjectInfo | undefined) => void,
  ): ObjectRecord {
    const release = (ids: Iterable<string>) => this.#release(ids);
    return writeVersion(
      this.#versionTables,
      versioning,
      bucket,
      key,
      record,
      release,
      forbidOverwrite,
      targetCheck,
    );
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
    const blob = await this.#ingest(body, LIMITS.maxAppendableObjectSize);
    return this.#commit(blob, () => {
      refuseAppendIfVersioned(this.#requireBucket(bucket).versioning);
      const k = objectKey(bucket, key);
      const next = appendTo(this.#objects.get(k), position, blob, options.headers);
      this.#objects.set(k, next);
      this.#keep(blob);
      return infoOf(next);
    });
  }

  async deleteObject(bucket: string, key: string, options: ReadOptions = {}): Promise<DeleteOutcome> {
    return this.#delete(this.#requireBucket(bucket).versioning, bucket, {
      key,
      versionId: options.versionId,
    });
  }

  async deleteObjects(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteOutcome[]> {
    const { versioning } = this.#requireBucket(bucket);
    return targets.map((target) => this.#delete(versioning, bucket, target));
  }

  #delete(versioning: VersioningStatus | undefined, bucket: string, target: DeleteTarget): DeleteOutcome {
    const release = (ids: Iterable<string>) => this.#release(ids);
    return target.versionId === undefined
      ? deleteLatest(this.#versionTables, versioning, bucket, target.key, release)
      : deleteVersion(this.#versionTables, bucket, target.key, target.versionId, release);
  }

  async copyObject(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    this.#requireBucket(source.bucket);
    this.#requireBucket(target.bucket);
    const peek = readVersion(this.#versionTables, source.bucket, source.key, source.versionId);
    if (!peek) throw new StoreError(source.versionId === undefined ? 'NoSuchCopySource' : 'NoSuchVersion');
    if (isDeleteMarker(peek)) throw new StoreError('NoSuchCopySource', 'The copy source is a delete marker.');
    checkCustomerKey(peek.encryption, options.sourceCustomerKey, 'copy source');
    const involvesServerKey = peek.encryption?.type === 'SSE-COS' || options.encryption?.type === 'SSE-COS';
    const server: ServerKey | undefined = involvesServerKey ? await this.#serverKeySource.get() : undefined;
    if (!copyCanShare(peek.encryption, options.encryption, () => server!)) {
      return this.#copyReencrypting(source, target, options);
    }
    // From here on synchronous: the source read is the source copied (re-read after the await).
    this.#requireBucket(source.bucket);
    const { versioning } = this.#requireBucket(target.bucket);
    if (readVersion(this.#versionTables, source.bucket, source.key, source.versionId) !== peek) {
      return this.copyObject(source, target, options);
    }
    const from = peek;
    options.check?.(infoOf(from));
    const unversioned = versioning === undefined;
    if (unversioned && options.forbidOverwrite && this.#objects.get(objectKey(target.bucket, target.key))) {
      throw new StoreError('FileAlreadyExists');
    }
    const record = copiedObject(from, options.headersFor(infoOf(from)), from);
    // Share before the write releases the old target: a copy onto itself nets to no change.
    this.#share(blobsOf(from));
    return infoOf(
      this.#writeVersion(versioning, target.bucket, target.key, record, undefined, options.targetCheck),
    );
  }

  /** A copy that changes the encryption: decrypted and re-encrypted into one new blob (see LocalStore). */
  async #copyReencrypting(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    const opened = await this.openObject(source.bucket, source.key, {
      versionId: source.versionId,
      customerKey: options.sourceCustomerKey,
    });
    if (!opened) throw new StoreError('NoSuchCopySource');
    options.check?.(opened.info);
    const encryption = await this.#encryptionFor(options.encryption);
    const blob = await this.#receive(opened.read(), LIMITS.maxCopyObjectSize, encryption.root);
    return this.#commit(blob, () => {
      const { versioning } = this.#requireBucket(target.bucket);
      if (
        versioning === undefined &&
        options.forbidOverwrite &&
        this.#objects.get(objectKey(target.bucket, target.key))
      ) {
        throw new StoreError('FileAlreadyExists');
      }
      const record = copiedObject(opened.info, options.headersFor(opened.info), {
        segments: [segmentOf(blob)],
        encryption: encryption.stored,
      });
      const stored = this.#writeVersion(versioning, target.bucket, target.key, record);
      this.#keep(blob);
      return infoOf(stored);
    });
  }

  async updateObjectHeaders(
    bucket: string,
    key: string,
    update: (current: ObjectInfo) => StoredHeaders,
    options: ReadOptions = {},
  ): Promise<ObjectInfo> {
    this.#requireBucket(bucket);
    const next = updateVersion(this.#versionTables, bucket, key, options.versionId, (current) => ({
      ...current,
      headers: update(infoOf(current)),
    }));
    return infoOf(next);
  }

  async listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage> {
    return listObjects(this.#objects, bucket, query);
  }

  async listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage> {
    return listObjectVersions(this.#versionTables, bucket, query);
  }

  // ---- multipart -----------------------------------------------------------------------------

  async initiateUpload(bucket: string, key: string, options: WriteOptions): Promise<string> {
    this.#requireBucket(bucket);
    const { stored } = await this.#encryptionFor(options.encryption);
    this.#requireBucket(bucket);
    const uploadId = `${Math.floor(Date.now() / 1000)}${randomBytes(16).toString('hex')}`;
    this.#uploads.set(uploadKey(bucket, key, uploadId), {
      initiated: Date.now(),
      headers: options.headers,
      ...(options.forbidOverwrite ? { forbidOverwrite: true } : {}),
      ...(stored ? { encryption: stored } : {}),
      ...(options.checksum ? { checksum: options.checksum } : {}),
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
    options: PartOptions = {},
  ): Promise<PartInfo> {
    const root = await this.#partRoot(bucket, key, uploadId, options);
    const blob = await this.#ingest(body, LIMITS.maxPartSize, root);
    return this.#commitPart(bucket, key, uploadId, partNumber, blob, options);
  }

  /** The root key parts of an upload are encrypted with (its SSE-C key checked); NoSuchUpload. */
  async #partRoot(
    bucket: string,
    key: string,
    uploadId: string,
    options: PartOptions,
  ): Promise<Buffer | undefined> {
    const upload = this.#uploads.get(uploadKey(bucket, key, uploadId));
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
    const blob = await this.#receive(source.read(range), LIMITS.maxPartSize, root);
    return this.#commitPart(bucket, key, uploadId, partNumber, blob, options);
  }

  #commitPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    blob: HeldBlob,
    options: PartOptions,
  ): PartInfo {
    return this.#commit(blob, () => {
      if (!this.#uploads.get(uploadKey(bucket, key, uploadId))) throw new StoreError('NoSuchUpload');
      const pk = partKey(uploadId, partNumber);
      const previous = this.#parts.get(pk);
      const record = partOf(blob, options);
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
    const { versioning } = this.#requireBucket(bucket);
    const forbid = options.forbidOverwrite || upload.forbidOverwrite;
    if (versioning === undefined && forbid && this.#objects.get(objectKey(bucket, key))) {
      throw new StoreError('FileAlreadyExists');
    }
    const record = assembledObject(
      upload,
      assemble(requested, (n) => this.#parts.get(partKey(uploadId, n)), upload.checksum, options.checksum),
    );
    const used = new Set(blobsOf(record));
    const stored = this.#writeVersion(versioning, bucket, key, record, undefined, options.targetCheck);
    this.#removeParts(uploadId, (id) => !used.has(id));
    this.#uploads.delete(uk);
    return infoOf(stored);
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
