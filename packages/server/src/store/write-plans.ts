/**
 * The object and multipart writes of every backend, written once: what each PUT, APPEND, DELETE,
 * Copy, part and Complete checks, which records it derives (records.ts), how it changes the
 * version tables (versions.ts) and how SSE applies to it (encryption.ts). A backend supplies only
 * where bytes and records live and how a change is committed ({@link WritePlanStore}'s abstract
 * members); the order of
 * every write stays the backend's: a new blob is complete (for the local store: durable) before
 * `commit` runs the change, and the change is one transaction that either applies whole or not at
 * all.
 *
 * The changes passed to {@link WritePlanStore.commitChange} are synchronous and check before they
 * write (versions.ts does too): neither backend undoes a change's writes when it throws (the memory
 * store has no transactions; LMDB's batched async transactions commit what a throwing callback
 * already wrote), so a change that throws must have written nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LIMITS, type VersioningStatus } from '@coskit/protocol';
import {
  checkCustomerKey,
  copyCanShare,
  type EncryptionRequest,
  rootKeyOf,
  type ServerKey,
  type StoredEncryption,
  storedEncryptionFor,
} from './encryption.js';
import { checkDeclaredLength, checkReceived } from './ingest-checks.js';
import { objectKey, partKey, partNumberOf, uploadKey } from './keys.js';
import { partsOf } from './list-parts.js';
import { assemble } from './multipart-assembly.js';
import type { MutableTable, OrderedTable } from './ordered-table.js';
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
  type UploadRecord,
} from './records.js';
import type { ServerKeySource } from './server-key-file.js';
import type {
  BucketInfo,
  ByteRange,
  CompleteOptions,
  CopyObjectOptions,
  DeleteMarkerInfo,
  DeleteOutcome,
  DeleteTarget,
  IncomingBody,
  ObjectInfo,
  OpenedObject,
  PartInfo,
  PartOptions,
  ReadOptions,
  RequestedPart,
  StoredHeaders,
  WriteOptions,
} from './store.js';
import { StoreError } from './store-error.js';
import {
  checkWriteVersion,
  deleteLatest,
  deleteVersion,
  latestDeleteMarker,
  type Release,
  readVersion,
  refuseAppendIfVersioned,
  updateVersion,
  type VersionTables,
  writeVersion,
} from './versions.js';

/** Records that one more record holds these blobs (a copy): inside the change, by id. */
export type Share = (ids: Iterable<string>) => void;

/** Which write a commit or blob belongs to (the local store's crash points name it). */
export type WriteOperation =
  | 'put'
  | 'append'
  | 'delete'
  | 'part'
  | 'complete'
  | 'abort'
  | 'bucket'
  | 'upload'
  | 'delete-multiple'
  | 'copy'
  | 'headers'
  | 'versioning';

/** How {@link WritePlanStore.writeBlob} writes one new blob. */
export interface BlobWrite {
  readonly operation: WriteOperation;
  /** Bytes expected, when known (a backend may pick its hashing by it); not checked here. */
  readonly size: number | undefined;
  /** Most bytes the blob may have: EntityTooLarge past it, while reading. */
  readonly maxSize: number;
  /** The root key to encrypt the blob under (AES-256-CTR, a fresh nonce); none = in the clear. */
  readonly encryptWith?: Buffer | undefined;
  /** Checks the finished blob before it is kept (a throw refuses it: never published, bytes freed). */
  readonly accept?: ((blob: Omit<StoredBlob, 'id'>) => void) | undefined;
}

/** The blobs of one object as a reader holds them (see {@link WritePlanStore.holdBlobs}). */
export interface HeldBlobs {
  /** The bytes `range` (inclusive, non-empty or `end < start` for none), decrypted with `root`. */
  read(range: ByteRange, root: Buffer | undefined): Readable;
  /** The same bytes in one buffer (`end < start`: empty); memory: the range's length. */
  readAll(range: ByteRange, root: Buffer | undefined): Promise<Buffer>;
  /** Lets commits free the blobs again (idempotent). */
  close(): void;
}

/** How a new write is stored: its record (none = in the clear) and the root key of its blobs. */
export interface WriteEncryption {
  readonly stored?: StoredEncryption | undefined;
  readonly root?: Buffer | undefined;
}

type CopySource = { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined };
type CopyTarget = { readonly bucket: string; readonly key: string };

/** A sharing copy found, inside its commit, a source it cannot share (it changed meanwhile). */
class CopyMustReencrypt extends Error {}

/**
 * A {@link Store} whose object and multipart writes (and the reads of the version tables) are the
 * shared plans below; a backend extends it and supplies only where bytes and records live and how
 * a change is committed (the abstract members).
 */
/**
 * Which SSE-COS key ids the store's records may be encrypted with. Every key id is added before the
 * first record that uses it is committed; `complete` says a walk of every record found no other
 * (data written before the ledger existed, or under a key file since replaced, makes it false).
 */
export interface SseKeyLedger {
  readonly keyIds: readonly string[];
  readonly complete: boolean;
}

export abstract class WritePlanStore<B extends StoredBlob> {
  /** The version tables; inside {@link commitChange}'s change, writes belong to that change. */
  protected abstract get versionTables(): VersionTables;
  /** Unfinished multipart uploads, by {@link uploadKey}. */
  protected abstract get uploads(): MutableTable<UploadRecord>;
  /** Their parts, by {@link partKey}. */
  protected abstract get parts(): MutableTable<PartRecord>;
  /** The SSE-COS key, loaded on the first write or read that needs it. */
  protected abstract get serverKey(): ServerKeySource;
  /** A bucket's record, or undefined (inside a change: as of that change). */
  protected abstract bucketRecord(name: string): BucketInfo | undefined;
  /** The SSE-COS key ledger (see {@link countForeignSseCos}), or undefined if never written. */
  protected abstract readKeyLedger(): SseKeyLedger | undefined;
  /** Durably replaces the ledger with what `update` makes of it, read and written in one commit. */
  protected abstract updateKeyLedger(update: (now: SseKeyLedger | undefined) => SseKeyLedger): Promise<void>;
  /**
   * Writes `source` into a new blob that nothing references yet (the local store: temp file →
   * fsync → rename → directory fsync). It belongs to the next {@link commitChange} that names it.
   */
  protected abstract writeBlob(source: AsyncIterable<Uint8Array>, how: BlobWrite): Promise<B>;
  /**
   * Applies `change` as one transaction and resolves with its result once it is durable. Blobs
   * passed to `release` are freed once nothing holds them (a `share`d blob is counted down
   * instead); `written`, the blob made for this change, is kept if the change returns and freed if
   * it throws (the error is rethrown; the change threw before it wrote anything).
   */
  protected abstract commitChange<T>(
    operation: WriteOperation,
    written: B | undefined,
    change: (release: Release, share: Share) => T,
  ): Promise<T>;
  /**
   * Holds the blobs of `record` so that no later commit frees them until `close` (called in the
   * same tick as the read of the record), and reads a byte range of them decrypted with `root`.
   */
  protected abstract holdBlobs(record: ObjectRecord): HeldBlobs;
  /** Called after every committed APPEND with the object as it now is (compaction). Default: nothing. */
  protected appended(_bucket: string, _key: string, _record: ObjectRecord): void {}

  // ---- encryption (see encryption.ts) --------------------------------------------------------

  /** The record and root key of a write asked to be stored as `request` says (loads the SSE-COS key). */
  protected async encryptionFor(request: EncryptionRequest | undefined): Promise<WriteEncryption> {
    if (!request) return {};
    const server = request.type === 'SSE-COS' ? await this.serverKey.get() : undefined;
    if (server) await this.#ledgerNames(server.id);
    const stored = storedEncryptionFor(request, () => server!);
    return { stored, root: request.type === 'SSE-C' ? request.key : server!.key };
  }

  /** The root key to read blobs stored as `stored` says (`customerKey` checked beforehand). */
  protected async rootFor(
    stored: StoredEncryption | undefined,
    customerKey: Buffer | undefined,
  ): Promise<Buffer | undefined> {
    const server = stored?.type === 'SSE-COS' ? await this.serverKey.get() : undefined;
    return rootKeyOf(stored, () => server!, customerKey);
  }

  /** The bucket's record (inside a change: as of that change). NoSuchBucket. */
  protected requireBucket(bucket: string): BucketInfo {
    const info = this.bucketRecord(bucket);
    if (!info) throw new StoreError('NoSuchBucket');
    return info;
  }

  /** Streams a request body into a new blob with the ingest checks; a refused body is never kept. */
  #ingest(body: IncomingBody, maxSize: number, operation: WriteOperation, encryptWith?: Buffer): Promise<B> {
    checkDeclaredLength(body, maxSize);
    return this.writeBlob(body.stream, {
      operation,
      size: body.declaredLength,
      maxSize,
      encryptWith,
      accept: (blob) => checkReceived(body, blob.size, blob.md5),
    });
  }

  // ---- reads of the version tables ---------------------------------------------------------

  /** Key ids this process has made sure the ledger names. */
  readonly #ledgered = new Set<string>();

  /**
   * Makes sure the ledger names `keyId` before the first record encrypted with it is committed
   * (once per key and process: one small synced commit).
   */
  async #ledgerNames(keyId: string): Promise<void> {
    // A later write of the same key does not wait for this one: its record's commit is queued
    // after the ledger's transaction (queued synchronously below), and transactions commit in the
    // order they were queued (lmdb-js batches them in order; the memory store runs them at once).
    if (this.#ledgered.has(keyId)) return;
    this.#ledgered.add(keyId);
    try {
      if (this.readKeyLedger()?.keyIds.includes(keyId)) return;
      await this.updateKeyLedger((now) => ({
        keyIds: [...new Set([...(now?.keyIds ?? []), keyId])],
        complete: now?.complete ?? false,
      }));
    } catch (err) {
      this.#ledgered.delete(keyId); // the next write tries again; this one fails
      throw err;
    }
  }

  /**
   * See {@link Store.countForeignSseCos}. When the ledger is complete and names no key but the
   * current one, no record can be foreign and nothing is read; otherwise one walk of objects,
   * versions and uploads (1M records: seconds of decoding at every start, competing with the first
   * requests), after which a walk that found none makes the ledger complete again.
   */
  async countForeignSseCos(): Promise<number> {
    const current = (await this.serverKey.existing())?.id;
    const ledger = this.readKeyLedger();
    if (ledger?.complete && ledger.keyIds.every((id) => id === current)) return 0;
    const { objects, versions } = this.versionTables;
    const everything = { start: Buffer.alloc(0), end: Buffer.alloc(1, 0xff) };
    const tables: OrderedTable<{ encryption?: StoredEncryption | undefined }>[] = [
      objects,
      versions as OrderedTable<{ encryption?: StoredEncryption | undefined }>,
      this.uploads,
    ];
    let foreign = 0;
    let seen = 0;
    for (const table of tables) {
      for (const { value } of table.getRange(everything)) {
        const e = value.encryption;
        if (e?.type === 'SSE-COS' && e.keyId !== current) foreign++;
        // A long scan yields now and then: requests go on meanwhile.
        if (++seen % 4096 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (foreign === 0) {
      // Every record read uses the current key (or none). Keys this process put in the ledger
      // meanwhile are the same key (one per process), kept for records written during the walk.
      const now = (await this.serverKey.existing())?.id;
      await this.updateKeyLedger(() => ({
        keyIds: [...new Set([...(now ? [now] : []), ...this.#ledgered])],
        complete: true,
      }));
    }
    return foreign;
  }

  /** The object a read means, or undefined (missing, or a delete marker). */
  protected readObject(bucket: string, key: string, options: ReadOptions): ObjectRecord | undefined {
    const record = readVersion(this.versionTables, bucket, key, options.versionId);
    return record && !isDeleteMarker(record) ? record : undefined;
  }

  /** The object a read means, held open with its SSE checked (the SSE-C key must match). */
  async openObject(
    bucket: string,
    key: string,
    options: ReadOptions = {},
  ): Promise<OpenedObject | undefined> {
    const record = this.readObject(bucket, key, options);
    if (!record) return undefined;
    // Held in the same tick as the read of the record: no commit can free the blobs in between.
    const held = this.holdBlobs(record);
    let root: Buffer | undefined;
    try {
      checkCustomerKey(record.encryption, options.customerKey);
      root = await this.rootFor(record.encryption, options.customerKey);
    } catch (err) {
      held.close();
      throw err;
    }
    return {
      info: infoOf(record),
      read: (range = { start: 0, end: record.size - 1 }) => held.read(range, root),
      readAll: (range = { start: 0, end: record.size - 1 }) => held.readAll(range, root),
      close: () => held.close(),
    };
  }

  async getObject(bucket: string, key: string, options: ReadOptions = {}): Promise<ObjectInfo | undefined> {
    const record = this.readObject(bucket, key, options);
    return record && infoOf(record);
  }

  async getDeleteMarker(
    bucket: string,
    key: string,
    options: ReadOptions = {},
  ): Promise<DeleteMarkerInfo | undefined> {
    const tables = this.versionTables;
    if (options.versionId === undefined) return latestDeleteMarker(tables, bucket, key);
    const record = readVersion(tables, bucket, key, options.versionId);
    return record && isDeleteMarker(record) ? record : undefined;
  }

  // ---- objects -------------------------------------------------------------------------------

  async putObject(
    bucket: string,
    key: string,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const encryption = await this.encryptionFor(options.encryption);
    const blob = await this.#ingest(body, LIMITS.maxSinglePutSize, 'put', encryption.root);
    const record = singleBlobObject(
      blob,
      { ...options.headers, ...body.headersAtEnd?.() },
      false,
      encryption.stored,
    );
    const stored = await this.commitChange('put', blob, (release) => {
      const { versioning } = this.requireBucket(bucket);
      return writeVersion(
        this.versionTables,
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
    const k = objectKey(bucket, key);
    const record = await this.commitChange('append', blob, () => {
      refuseAppendIfVersioned(this.requireBucket(bucket).versioning);
      const { objects } = this.versionTables;
      const next = appendTo(objects.get(k), position, blob, options.headers);
      objects.put(k, next);
      return next;
    });
    this.appended(bucket, key, record);
    return infoOf(record);
  }

  deleteObject(bucket: string, key: string, options: ReadOptions = {}): Promise<DeleteOutcome> {
    return this.commitChange('delete', undefined, (release) =>
      this.#delete(
        this.requireBucket(bucket).versioning,
        bucket,
        { key, versionId: options.versionId },
        release,
      ),
    );
  }

  deleteObjects(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteOutcome[]> {
    return this.commitChange('delete-multiple', undefined, (release) => {
      const { versioning } = this.requireBucket(bucket);
      return targets.map((target) => this.#delete(versioning, bucket, target, release));
    });
  }

  #delete(
    versioning: VersioningStatus | undefined,
    bucket: string,
    target: DeleteTarget,
    release: Release,
  ): DeleteOutcome {
    const tables = this.versionTables;
    return target.versionId === undefined
      ? deleteLatest(tables, versioning, bucket, target.key, release)
      : deleteVersion(tables, bucket, target.key, target.versionId, release);
  }

  /**
   * PUT Object - Copy. A copy that keeps the encryption writes no byte: the target names the
   * source's blobs ({@link #copySharing}); one that changes it re-encrypts ({@link #copyReencrypting}).
   */
  async copyObject(source: CopySource, target: CopyTarget, options: CopyObjectOptions): Promise<ObjectInfo> {
    const peek = readVersion(this.versionTables, source.bucket, source.key, source.versionId);
    const peeked = peek && !isDeleteMarker(peek) ? peek : undefined;
    const involvesServerKey =
      peeked?.encryption?.type === 'SSE-COS' || options.encryption?.type === 'SSE-COS';
    const server = involvesServerKey ? await this.serverKey.get() : undefined;
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
    source: CopySource,
    target: CopyTarget,
    options: CopyObjectOptions,
    serverKey: () => ServerKey,
  ): Promise<ObjectInfo> {
    return this.commitChange('copy', undefined, (release, share) => {
      this.requireBucket(source.bucket);
      const { versioning } = this.requireBucket(target.bucket);
      const tables = this.versionTables;
      const from = this.#copySource(source, options);
      if (!copyCanShare(from.encryption, options.encryption, serverKey)) throw new CopyMustReencrypt();
      options.check?.(infoOf(from));
      const record = copiedObject(from, options.headersFor(infoOf(from)), from);
      // The target's checks come before the share: a throw does not undo the change's writes.
      checkWriteVersion(
        tables,
        versioning,
        target.bucket,
        target.key,
        options.forbidOverwrite,
        options.targetCheck,
      );
      // Share before releasing: a copy onto itself then nets to no change in the counts.
      share(blobsOf(from));
      const stored = writeVersion(tables, versioning, target.bucket, target.key, record, release);
      return infoOf(stored);
    });
  }

  /** The copy source as it is now (its SSE-C key checked): NoSuchCopySource, NoSuchVersion. */
  #copySource(source: CopySource, options: CopyObjectOptions): ObjectRecord {
    const from = readVersion(this.versionTables, source.bucket, source.key, source.versionId);
    if (!from) throw new StoreError(source.versionId === undefined ? 'NoSuchCopySource' : 'NoSuchVersion');
    if (isDeleteMarker(from)) throw new StoreError('NoSuchCopySource', 'The copy source is a delete marker.');
    checkCustomerKey(from.encryption, options.sourceCustomerKey, 'copy source');
    return from;
  }

  /**
   * A copy that changes the encryption: the source as it is now is decrypted and re-encrypted into
   * one new blob (a real byte copy, O(size)), then committed. `check` sees that snapshot.
   */
  async #copyReencrypting(
    source: CopySource,
    target: CopyTarget,
    options: CopyObjectOptions,
  ): Promise<ObjectInfo> {
    this.requireBucket(source.bucket);
    this.requireBucket(target.bucket);
    const customerKey = options.sourceCustomerKey;
    this.#copySource(source, options);
    const opened = await this.openObject(source.bucket, source.key, {
      versionId: source.versionId,
      customerKey,
    });
    if (!opened) throw new StoreError('NoSuchCopySource');
    try {
      options.check?.(opened.info);
      const encryption = await this.encryptionFor(options.encryption);
      const blob = await this.writeBlob(opened.read(), {
        operation: 'copy',
        size: opened.info.size,
        maxSize: LIMITS.maxCopyObjectSize,
        encryptWith: encryption.root,
      });
      const record = copiedObject(opened.info, options.headersFor(opened.info), {
        segments: [segmentOf(blob)],
        encryption: encryption.stored,
      });
      return await this.commitChange('copy', blob, (release) => {
        const { versioning } = this.requireBucket(target.bucket);
        const stored = writeVersion(
          this.versionTables,
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
    } finally {
      opened.close();
    }
  }

  updateObjectHeaders(
    bucket: string,
    key: string,
    update: (current: ObjectInfo) => StoredHeaders,
    options: ReadOptions = {},
  ): Promise<ObjectInfo> {
    return this.commitChange('headers', undefined, () => {
      this.requireBucket(bucket);
      const next = updateVersion(this.versionTables, bucket, key, options.versionId, (current) => ({
        ...current,
        headers: update(infoOf(current)),
      }));
      return infoOf(next);
    });
  }

  // ---- multipart -----------------------------------------------------------------------------

  async initiateUpload(bucket: string, key: string, options: WriteOptions): Promise<string> {
    this.requireBucket(bucket);
    const uploadId = `${Math.floor(Date.now() / 1000)}${randomBytes(16).toString('hex')}`;
    const { stored } = await this.encryptionFor(options.encryption);
    await this.commitChange('upload', undefined, () => {
      this.requireBucket(bucket);
      this.uploads.put(uploadKey(bucket, key, uploadId), {
        initiated: Date.now(),
        headers: options.headers,
        ...(options.forbidOverwrite ? { forbidOverwrite: true } : {}),
        ...(stored ? { encryption: stored } : {}),
        ...(options.checksum ? { checksum: options.checksum } : {}),
      });
    });
    return uploadId;
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
    const blob = await this.writeBlob(source.read(range), {
      operation: 'part',
      size: range.end - range.start + 1,
      maxSize: LIMITS.maxPartSize,
      encryptWith: root,
    });
    return this.#commitPart(bucket, key, uploadId, partNumber, blob, options);
  }

  /** The root key parts of an upload are encrypted with (its SSE-C key checked); NoSuchUpload. */
  async #partRoot(
    bucket: string,
    key: string,
    uploadId: string,
    options: PartOptions,
  ): Promise<Buffer | undefined> {
    const upload = this.uploads.get(uploadKey(bucket, key, uploadId));
    if (!upload) throw new StoreError('NoSuchUpload');
    checkCustomerKey(upload.encryption, options.customerKey, 'upload');
    return this.rootFor(upload.encryption, options.customerKey);
  }

  /** Records a part; a re-upload of the same number replaces it. Fails if the upload is gone. */
  async #commitPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    blob: B,
    options: PartOptions,
  ): Promise<PartInfo> {
    const { uploads, parts } = this;
    const record: PartRecord = partOf(blob, options);
    await this.commitChange('part', blob, (release) => {
      if (!uploads.get(uploadKey(bucket, key, uploadId))) throw new StoreError('NoSuchUpload');
      const pk = partKey(uploadId, partNumber);
      const previous = parts.get(pk);
      parts.put(pk, record);
      if (previous) release([previous.blob]);
    });
    return record;
  }

  /** Complete: links the requested parts' blobs into the object in one change (no byte copied). */
  async completeUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: readonly RequestedPart[],
    options: CompleteOptions = {},
  ): Promise<ObjectInfo> {
    const { uploads, parts } = this;
    const record = await this.commitChange('complete', undefined, (release) => {
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
      const { versioning } = this.requireBucket(bucket);
      const forbid = options.forbidOverwrite || upload.forbidOverwrite;
      const object = writeVersion(
        this.versionTables,
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
        parts.remove(pk);
      }
      uploads.remove(uk);
      return object;
    });
    return infoOf(record);
  }

  abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    const { uploads, parts } = this;
    return this.commitChange('abort', undefined, (release) => {
      const uk = uploadKey(bucket, key, uploadId);
      if (!uploads.get(uk)) throw new StoreError('NoSuchUpload');
      // Collected (keys copied) first: a table must not change under its own range iterator.
      const all = Array.from(partsOf(parts, uploadId), ({ key: pk, value }) => ({
        pk: Buffer.from(pk),
        value,
      }));
      for (const { pk, value } of all) {
        release([value.blob]);
        parts.remove(pk);
      }
      uploads.remove(uk);
    });
  }
}
