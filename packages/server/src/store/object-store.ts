/**
 * The storage engine behind the HTTP handlers: durable blobs plus a transactional metadata index.
 * Write order for every mutation: blob bytes durable (temp → fsync → rename → dir fsync), then the
 * metadata commit (synced), then deletion of blobs the commit made unreachable. A crash at any
 * point leaves the old state or the new one; recovery (see recovery.ts) only frees space.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { crc64Combine, crc64ToDecimal, LIMITS, parseCrc64Decimal } from '@coskit/protocol';
import { BlobStore, type IngestedBlob } from './blobs.js';
import { objectKey, partKey, partNumberOf, partRangeEnd, partRangeStart, uploadKey } from './keys.js';
import { type ListObjectsPage, type ListObjectsQuery, listObjects } from './list-objects.js';
import { type ListUploadsPage, type ListUploadsQuery, listUploads } from './list-uploads.js';
import { MetadataStore } from './metadata.js';
import { type AssembledObject, assemble, type RequestedPart } from './multipart-assembly.js';
import type { BucketRecord, ObjectRecord, PartRecord, StoredHeaders, UploadRecord } from './records.js';
import { StoreError } from './store-error.js';

const quoted = (md5hex: string) => `"${md5hex}"`;

export class ObjectStore {
  readonly blobs: BlobStore;
  readonly meta: MetadataStore;

  private constructor(dataDir: string) {
    this.blobs = new BlobStore(dataDir);
    this.meta = new MetadataStore(join(dataDir, 'meta'));
  }

  static async open(dataDir: string): Promise<ObjectStore> {
    const store = new ObjectStore(dataDir);
    await store.blobs.init();
    return store;
  }

  async close(): Promise<void> {
    await this.meta.close();
  }

  // ---- buckets -------------------------------------------------------------------------------

  getBucket(bucket: string): BucketRecord | undefined {
    return this.meta.dbs.buckets.get(bucket);
  }

  /** Every bucket, by name. */
  listBuckets(): { name: string; record: BucketRecord }[] {
    return [...this.meta.dbs.buckets.getRange()].map(({ key, value }) => ({ name: key, record: value }));
  }

  /** Creates a bucket; false if it already exists. */
  createBucket(bucket: string, record: BucketRecord): Promise<boolean> {
    const { buckets } = this.meta.dbs;
    return this.meta.transaction(() => {
      if (buckets.get(bucket)) return false;
      buckets.putSync(bucket, record);
      return true;
    });
  }

  /** Deletes an empty bucket (no object and no multipart upload). */
  deleteBucket(bucket: string): Promise<void> {
    const { buckets, objects, uploads } = this.meta.dbs;
    return this.meta.transaction(() => {
      if (!buckets.get(bucket)) throw new StoreError('NoSuchBucket');
      const range = { start: objectKey(bucket, ''), end: objectKey(`${bucket}\u0001`, ''), limit: 1 };
      if (objects.getKeysCount(range) > 0 || uploads.getKeysCount(range) > 0)
        throw new StoreError('BucketNotEmpty');
      buckets.removeSync(bucket);
    });
  }

  #requireBucket(bucket: string): void {
    if (!this.meta.dbs.buckets.get(bucket)) throw new StoreError('NoSuchBucket');
  }

  // ---- objects -------------------------------------------------------------------------------

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.meta.dbs.objects.get(objectKey(bucket, key));
  }

  /** Stores a whole object (PUT Object); an existing object — appendable or not — is replaced. */
  async putObject(
    bucket: string,
    key: string,
    blob: IngestedBlob,
    headers: StoredHeaders,
  ): Promise<ObjectRecord> {
    const record: ObjectRecord = {
      size: blob.size,
      etag: quoted(blob.md5),
      crc64: crc64ToDecimal(blob.crc64),
      lastModified: Date.now(),
      headers,
      segments: [{ blob: blob.id, size: blob.size }],
      appendable: false,
    };
    await this.#replaceObject(bucket, key, record, [blob.id]);
    return record;
  }

  /**
   * Appends a blob at `position` (APPEND Object). The position is checked inside the commit, so of
   * concurrent appends at one position exactly one wins; the losers' blobs are discarded.
   */
  async appendObject(
    bucket: string,
    key: string,
    position: number,
    blob: IngestedBlob,
    headers: StoredHeaders,
  ): Promise<ObjectRecord> {
    const { objects } = this.meta.dbs;
    const k = objectKey(bucket, key);
    try {
      return await this.meta.transaction(() => {
        this.#requireBucket(bucket);
        const current = objects.get(k);
        if (current && !current.appendable) throw new StoreError('ObjectNotAppendable');
        const length = current?.size ?? 0;
        if (position !== length) {
          throw new StoreError(
            'AppendPositionErr',
            `Position ${position} is not the object's length ${length}.`,
          );
        }
        if (length + blob.size > LIMITS.maxAppendableObjectSize) {
          throw new StoreError(
            'EntityTooLarge',
            `An appendable object may grow to ${LIMITS.maxAppendableObjectSize} bytes at most.`,
          );
        }
        const record: ObjectRecord = current
          ? {
              ...current,
              size: length + blob.size,
              etag: chainEtag(current.etag, blob.md5),
              crc64: crc64ToDecimal(
                crc64Combine(parseCrc64Decimal(current.crc64) ?? 0n, blob.crc64, blob.size),
              ),
              lastModified: Date.now(),
              segments: [...current.segments, { blob: blob.id, size: blob.size }],
            }
          : {
              size: blob.size,
              etag: quoted(blob.md5),
              crc64: crc64ToDecimal(blob.crc64),
              lastModified: Date.now(),
              headers,
              segments: [{ blob: blob.id, size: blob.size }],
              appendable: true,
            };
        objects.putSync(k, record);
        return record;
      });
    } catch (err) {
      await this.blobs.remove([blob.id]);
      throw err;
    }
  }

  /** Deletes an object; deleting a missing key succeeds. */
  async deleteObject(bucket: string, key: string): Promise<void> {
    const { objects, garbage } = this.meta.dbs;
    const k = objectKey(bucket, key);
    const dropped = await this.meta.transaction(() => {
      this.#requireBucket(bucket);
      const current = objects.get(k);
      if (!current) return [];
      objects.removeSync(k);
      const ids = current.segments.map((s) => s.blob);
      for (const id of ids) garbage.putSync(id, true);
      return ids;
    });
    await this.collect(dropped);
  }

  async #replaceObject(bucket: string, key: string, record: ObjectRecord, newBlobs: string[]): Promise<void> {
    const { objects, garbage } = this.meta.dbs;
    const k = objectKey(bucket, key);
    let dropped: string[];
    try {
      dropped = await this.meta.transaction(() => {
        this.#requireBucket(bucket);
        const previous = objects.get(k);
        objects.putSync(k, record);
        const ids = previous ? previous.segments.map((s) => s.blob) : [];
        for (const id of ids) garbage.putSync(id, true);
        return ids;
      });
    } catch (err) {
      await this.blobs.remove(newBlobs);
      throw err;
    }
    await this.collect(dropped);
  }

  listObjects(bucket: string, query: ListObjectsQuery): ListObjectsPage {
    return listObjects(this.meta.dbs.objects, bucket, query);
  }

  // ---- multipart -----------------------------------------------------------------------------

  /** Starts a multipart upload; the id begins with the Unix time so listings are chronological. */
  async initiateUpload(bucket: string, key: string, headers: StoredHeaders): Promise<string> {
    const uploadId = `${Math.floor(Date.now() / 1000)}${randomBytes(16).toString('hex')}`;
    const { uploads } = this.meta.dbs;
    await this.meta.transaction(() => {
      this.#requireBucket(bucket);
      uploads.putSync(uploadKey(bucket, key, uploadId), { initiated: Date.now(), headers });
    });
    return uploadId;
  }

  getUpload(bucket: string, key: string, uploadId: string): UploadRecord | undefined {
    return this.meta.dbs.uploads.get(uploadKey(bucket, key, uploadId));
  }

  /** Records a part; a re-upload of the same number replaces it. Fails if the upload is gone. */
  async putPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    blob: IngestedBlob,
  ): Promise<PartRecord> {
    const { uploads, parts, garbage } = this.meta.dbs;
    const record: PartRecord = {
      blob: blob.id,
      size: blob.size,
      etag: quoted(blob.md5),
      crc64: crc64ToDecimal(blob.crc64),
      lastModified: Date.now(),
    };
    let dropped: string[];
    try {
      dropped = await this.meta.transaction(() => {
        if (!uploads.get(uploadKey(bucket, key, uploadId))) throw new StoreError('NoSuchUpload');
        const pk = partKey(uploadId, partNumber);
        const previous = parts.get(pk);
        parts.putSync(pk, record);
        if (!previous) return [];
        garbage.putSync(previous.blob, true);
        return [previous.blob];
      });
    } catch (err) {
      await this.blobs.remove([blob.id]);
      throw err;
    }
    await this.collect(dropped);
    return record;
  }

  getPart(uploadId: string, partNumber: number): PartRecord | undefined {
    return this.meta.dbs.parts.get(partKey(uploadId, partNumber));
  }

  /** Parts with number > `marker`, at most `max` of them, plus whether more follow. */
  listParts(
    uploadId: string,
    marker: number,
    max: number,
  ): { parts: (PartRecord & { partNumber: number })[]; isTruncated: boolean } {
    const out: (PartRecord & { partNumber: number })[] = [];
    let isTruncated = false;
    for (const { key, value } of this.meta.dbs.parts.getRange({
      start: partRangeStart(uploadId, marker),
      end: partRangeEnd(uploadId),
    })) {
      if (out.length === max) {
        isTruncated = true;
        break;
      }
      out.push({ ...value, partNumber: partNumberOf(key) });
    }
    return { parts: out, isTruncated };
  }

  /**
   * Completes an upload: the object is made of the listed parts' blobs (linked, not copied), so
   * the cost is O(number of parts). Unlisted parts and any replaced object are freed.
   */
  async completeUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: readonly RequestedPart[],
  ): Promise<ObjectRecord> {
    const { uploads, parts, objects, garbage } = this.meta.dbs;
    let dropped: string[] = [];
    const record = await this.meta.transaction(() => {
      const uk = uploadKey(bucket, key, uploadId);
      const upload = uploads.get(uk);
      if (!upload) throw new StoreError('NoSuchUpload');
      const assembled: AssembledObject = assemble(requested, (n) => parts.get(partKey(uploadId, n)));
      const used = new Set(assembled.segments.map((s) => s.blob));
      const ok = objectKey(bucket, key);
      const previous = objects.get(ok);
      const result: ObjectRecord = {
        size: assembled.size,
        etag: assembled.etag,
        crc64: assembled.crc64,
        lastModified: Date.now(),
        headers: upload.headers,
        segments: assembled.segments,
        appendable: false,
      };
      objects.putSync(ok, result);
      dropped = previous ? previous.segments.map((s) => s.blob) : [];
      for (const { key: pk, value } of parts.getRange({
        start: partRangeStart(uploadId),
        end: partRangeEnd(uploadId),
      })) {
        if (!used.has(value.blob)) dropped.push(value.blob);
        parts.removeSync(pk);
      }
      uploads.removeSync(uk);
      for (const id of dropped) garbage.putSync(id, true);
      return result;
    });
    await this.collect(dropped);
    return record;
  }

  /** Aborts an upload and frees its parts. A part upload racing this fails with NoSuchUpload. */
  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    const { uploads, parts, garbage } = this.meta.dbs;
    const dropped = await this.meta.transaction(() => {
      const uk = uploadKey(bucket, key, uploadId);
      if (!uploads.get(uk)) throw new StoreError('NoSuchUpload');
      const ids: string[] = [];
      for (const { key: pk, value } of parts.getRange({
        start: partRangeStart(uploadId),
        end: partRangeEnd(uploadId),
      })) {
        ids.push(value.blob);
        parts.removeSync(pk);
      }
      uploads.removeSync(uk);
      for (const id of ids) garbage.putSync(id, true);
      return ids;
    });
    await this.collect(dropped);
  }

  listUploads(bucket: string, query: ListUploadsQuery): ListUploadsPage {
    return listUploads(this.meta.dbs.uploads, bucket, query);
  }

  // ---- garbage -------------------------------------------------------------------------------

  /** Deletes blobs a committed change made unreachable, then forgets them. */
  async collect(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.blobs.remove(ids);
    const { garbage } = this.meta.dbs;
    await this.meta.transaction(() => {
      for (const id of ids) garbage.removeSync(id);
    });
  }
}

/**
 * ETag of an appendable object after an append: the first append's ETag is the MD5 of its bytes
 * (= the object); later ones chain MD5(previous ETag bytes ‖ MD5 of the appended bytes), which
 * changes with the content without re-reading the object. See docs/PROTOCOL-DECISIONS.md.
 */
function chainEtag(previous: string, appendedMd5: string): string {
  const prev = Buffer.from(previous.replace(/"/g, '').split('-')[0] ?? '', 'hex');
  const next = Buffer.concat([prev, Buffer.from(appendedMd5, 'hex')]);
  return quoted(createHash('md5').update(next).digest('hex'));
}
