/**
 * The storage boundary of the server. HTTP handlers, the request context and the running server
 * see only this interface; how bytes and records are kept is each backend's private business:
 *
 * - `local/`  — durable: blob files plus an LMDB index, kill -9 safe (the `coskit serve` default);
 * - `memory/` — nothing on disk, one instance per server, for tests of apps that talk to COS.
 *
 * Every backend passes the contract suite in `test/store/contract/`, which is what the handlers
 * rely on. Refusals are {@link StoreError}s carrying their COS code; anything else is a fault.
 *
 * Rules every method keeps:
 * - A write is visible only whole and only once it is durable for that backend; when its promise
 *   resolves it is acknowledged. A failed write leaves nothing behind (no record, no bytes).
 * - Body checks belong to the store's ingest: the declared length against the operation's limit
 *   before a byte is read, the streamed size against the limit while reading, then the declared
 *   length (IncompleteBody) and Content-MD5 (BadDigest). HTTP parsing (is Content-Length a number,
 *   is Content-MD5 base64 of 16 bytes, pacing by `x-cos-traffic-limit`) stays in `http/`.
 * - Conditions that must hold atomically with a write (the append position, the upload still
 *   existing) are checked inside the write, so concurrent requests serialise correctly.
 *
 * Features join this interface as optional fields or new methods, never by changing a signature.
 * That is how copy sharing blobs ({@link Store.copyObject}; the local store counts references
 * where its one commit step releases blobs), tags and ACLs ({@link Store.updateObjectHeaders}),
 * no-overwrite (`forbidOverwrite`, checked inside the commit), CORS ({@link Store.setBucketCors}),
 * versioning (`BucketInfo.versioning`, `ObjectInfo.versionId`, `ReadOptions` on reads, deletes
 * and header updates, {@link Store.listObjectVersions}; the rules live once in versions.ts for
 * both backends) and server-side encryption went in: `encryption` on {@link WriteOptions} /
 * {@link CopyObjectOptions}, the SSE-C key on {@link ReadOptions} / {@link PartOptions} (it travels
 * with each request and is never stored), {@link ObjectInfo.encryption} /
 * {@link UploadInfo.encryption} what is kept; every blob is encrypted as it is written and
 * decrypted as it is read (see `encryption.ts`). Still to come, the same way:
 * - A faster local ingest: bodies arrive as an `AsyncIterable` of chunks the store consumes as it
 *   likes (worker-thread hashing, writev, group commit) — nothing here fixes how.
 */
import type { Readable } from 'node:stream';
import type {
  AwsChecksumAlgorithm,
  AwsChecksumType,
  CorsConfiguration,
  VersioningStatus,
} from '@coskit/protocol';
import type { EncryptionRequest, StoredEncryption } from './encryption.js';
import type { RequestedPart } from './multipart-assembly.js';

export type { EncryptionRequest, StoredEncryption } from './encryption.js';
export type { RequestedPart } from './multipart-assembly.js';
export type { DeleteOutcome } from './versions.js';

import type { DeleteOutcome } from './versions.js';

export { StoreError } from './store-error.js';

/** Stored object headers, lower-case name → value (Content-Type, Cache-Control, x-cos-meta-*, ACL…). */
export type StoredHeaders = Record<string, string>;

export interface BucketInfo {
  /** Unix milliseconds. */
  readonly created: number;
  /** Canned ACL (`private`, `public-read`, …). */
  readonly acl: string;
  /** `x-cos-grant-*` headers given at creation. */
  readonly grants: StoredHeaders;
  /** PUT Bucket cors's rules (validated, methods upper case); absent when none are set. */
  readonly cors?: CorsConfiguration | undefined;
  /**
   * PUT Bucket versioning's state; absent for a bucket that never had versioning (it can be
   * suspended, never removed).
   */
  readonly versioning?: VersioningStatus | undefined;
}

/** What HEAD answers about an object; the bytes are read through {@link Store.openObject}. */
export interface ObjectInfo {
  /** Bytes. */
  readonly size: number;
  /** Quoted, as sent in the ETag header. */
  readonly etag: string;
  /** CRC-64/XZ of the whole object, decimal. */
  readonly crc64: string;
  /** Unix milliseconds. */
  readonly lastModified: number;
  readonly headers: StoredHeaders;
  /** Created by APPEND (and not replaced since): only such objects accept appends. */
  readonly appendable: boolean;
  /**
   * The version's ID: a new one per write in an Enabled bucket, `null` in a Suspended one.
   * Absent for objects written while the bucket had no versioning: they are its `null` version.
   */
  readonly versionId?: string | undefined;
  /** How the bytes are encrypted at rest; absent = in the clear. */
  readonly encryption?: StoredEncryption | undefined;
}

/** A delete marker as reads see it (GET/HEAD of a key or version that is one). */
export interface DeleteMarkerInfo {
  readonly versionId: string;
  /** Unix milliseconds. */
  readonly lastModified: number;
}

/** An S3 checksum value: base64 of the digest, as `x-amz-checksum-<algorithm>` carries it. */
export interface ChecksumValue {
  readonly algorithm: AwsChecksumAlgorithm;
  readonly value: string;
}

/** The checksum a multipart upload's object gets (CreateMultipartUpload's `x-amz-checksum-algorithm` and `-type`). */
export interface UploadChecksum {
  readonly algorithm: AwsChecksumAlgorithm;
  readonly type: AwsChecksumType;
}

/** What a Complete request says of the object's checksum (both optional). */
export interface CompleteChecksum {
  /** `x-amz-checksum-<algorithm>`: the value the object must get (a composite one with or without `-<parts>`). */
  readonly expected?: ChecksumValue | undefined;
  /** `x-amz-checksum-type`: must be the upload's. */
  readonly type?: AwsChecksumType | undefined;
}

export interface UploadInfo {
  /** Unix milliseconds. */
  readonly initiated: number;
  /** Initiate's headers: they become the final object's headers. */
  readonly headers: StoredHeaders;
  /** Initiate said `x-cos-forbid-overwrite: true`: Complete refuses to replace an existing key. */
  readonly forbidOverwrite?: boolean;
  /** Initiate's encryption: every part is stored so, and so is the object Complete makes. */
  readonly encryption?: StoredEncryption | undefined;
  /** S3: the checksum every part carries and the object Complete makes gets; absent = none. */
  readonly checksum?: UploadChecksum | undefined;
}

export interface PartInfo {
  readonly size: number;
  /** Quoted MD5 hex of the part. */
  readonly etag: string;
  /** CRC-64/XZ, decimal. */
  readonly crc64: string;
  /** Unix milliseconds. */
  readonly lastModified: number;
  /** S3: the part's verified (or, for a full-object upload, computed) checksum; absent = none. */
  readonly checksum?: ChecksumValue | undefined;
}

/** Inclusive byte offsets; `end < start` is an empty range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A request body on its way into the store. */
export interface IncomingBody {
  /** The bytes as they arrive; read once. */
  readonly stream: AsyncIterable<Uint8Array>;
  /** Content-Length, when declared (a chunked body has none). */
  readonly declaredLength?: number | undefined;
  /** Content-MD5 as lowercase hex, when given: the stored bytes must hash to it. */
  readonly md5?: string | undefined;
  /**
   * Headers known only once the stream has ended (an aws-chunked trailer's verified checksum): PUT
   * Object merges them into the stored headers at its commit. Called once, after the last byte.
   */
  readonly headersAtEnd?: () => StoredHeaders;
}

/** Which object a read means, and the key to read it with. */
export interface ReadOptions {
  /**
   * A version of the key (`null` included); default the current one. An ID that names no version
   * reads as missing (the caller validated its form).
   */
  readonly versionId?: string | undefined;
  /**
   * The SSE-C key (32 bytes) for {@link Store.openObject}: an SSE-C object opens only with its key
   * (none: InvalidRequest, another: AccessDenied), and a key for any other object is InvalidRequest.
   */
  readonly customerKey?: Buffer | undefined;
}

/** One key of {@link Store.deleteObjects}, with the version to remove for good if given. */
export interface DeleteTarget {
  readonly key: string;
  readonly versionId?: string | undefined;
}

/** Options of {@link Store.putPart} and {@link Store.copyPart}. */
export interface PartOptions {
  /** The SSE-C key of the upload, required exactly when Initiate gave one (as {@link ReadOptions.customerKey}). */
  readonly customerKey?: Buffer | undefined;
  /**
   * The part's S3 checksum, known once every byte has been read (a trailer's, or one computed as the
   * bytes passed): called once after the bytes are stored, before the part's commit. Default none.
   */
  readonly checksumAtEnd?: (() => ChecksumValue | undefined) | undefined;
}

/** Options of writes that create an object. */
export interface WriteOptions {
  /** Headers stored with the object (validated by the caller). */
  readonly headers: StoredHeaders;
  /**
   * Refuse with `FileAlreadyExists` when the key already holds an object. Checked inside the
   * write's commit, so of two racing writers at most one creates the key. Ignored in a bucket
   * that has ever had versioning (a write there never replaces anything). Default false.
   */
  readonly forbidOverwrite?: boolean;
  /** Store the bytes encrypted (SSE-COS or SSE-C). Default: in the clear. Refused by APPEND. */
  readonly encryption?: EncryptionRequest | undefined;
  /** S3, Initiate only: the checksum the upload's parts carry and its object gets. Default none. */
  readonly checksum?: UploadChecksum | undefined;
  /**
   * Runs inside the write's commit with the object the key holds then (undefined: none); throw (a
   * `CosHttpError` or `StoreError`) to refuse and store nothing. This is how conditional writes
   * (`If-Match`, `If-None-Match: *`) see exactly the object they would replace. Default none.
   */
  readonly targetCheck?: (current: ObjectInfo | undefined) => void;
}

/** Options of {@link Store.copyObject}. */
export interface CopyObjectOptions {
  /**
   * The target's headers, from the source as it is at the commit (the `Copy` directive keeps the
   * source's, `Replaced` takes the request's). Must not throw.
   */
  readonly headersFor: (source: ObjectInfo) => StoredHeaders;
  /**
   * Runs inside the commit with the source as it is then; throw (a `CosHttpError` or
   * `StoreError`) to refuse: copy-source conditions, size limit, kind of object.
   */
  readonly check?: (source: ObjectInfo) => void;
  /** As {@link WriteOptions.forbidOverwrite}. */
  readonly forbidOverwrite?: boolean;
  /**
   * How the target is stored (not inherited from the source). When it is stored exactly as the
   * source is (see `copyCanShare`), the blobs are shared; otherwise the source is decrypted and
   * re-encrypted into a new blob — then `check` runs on the source as it is read, before the commit.
   */
  readonly encryption?: EncryptionRequest | undefined;
  /** The source's SSE-C key, required exactly when the source is SSE-C (as {@link ReadOptions.customerKey}). */
  readonly sourceCustomerKey?: Buffer | undefined;
  /** As {@link WriteOptions.targetCheck}. */
  readonly targetCheck?: (current: ObjectInfo | undefined) => void;
}

/** Options of {@link Store.completeUpload}. */
export interface CompleteOptions {
  /** Refuse with `FileAlreadyExists` if the key exists (also when Initiate asked for it). */
  readonly forbidOverwrite?: boolean;
  /** As {@link WriteOptions.targetCheck}. */
  readonly targetCheck?: (current: ObjectInfo | undefined) => void;
  /** S3: what the request says of the object's checksum (checked in multipart-checksums.ts). */
  readonly checksum?: CompleteChecksum | undefined;
}

/**
 * An object opened for reading: its info and its bytes as of the moment it was opened. The bytes
 * stay readable until {@link OpenedObject.close} and until every stream from `read` has ended,
 * even if the object is overwritten or deleted meanwhile. Close it on every path (try/finally).
 */
export interface OpenedObject {
  readonly info: ObjectInfo;
  /** Streams the bytes of `range` (default: the whole object). */
  read(range?: ByteRange): Readable;
  /**
   * The bytes of `range` (default: the whole object) in one buffer, for a small answer sent with
   * its headers in one write. Memory: the range's length — the caller bounds it.
   */
  readAll(range?: ByteRange): Promise<Buffer>;
  close(): void;
}

export interface ListObjectsQuery {
  readonly prefix: string;
  readonly delimiter: string;
  /** Exclusive: list keys after this one. */
  readonly marker: string;
  readonly maxKeys: number;
}

export interface ListObjectsPage {
  readonly contents: { key: string; info: ObjectInfo }[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Last key or common prefix returned, when truncated. */
  readonly nextMarker: string | undefined;
}

export interface ListVersionsQuery {
  readonly prefix: string;
  readonly delimiter: string;
  /** Exclusive: list versions of keys after this one (with `versionIdMarker`: after that version). */
  readonly keyMarker: string;
  /** Only meaningful with `keyMarker`: `null` or an ID of this server. */
  readonly versionIdMarker: string;
  readonly maxKeys: number;
}

/** One `<Version>` or `<DeleteMarker>` of a versions listing. */
export type VersionEntry =
  | {
      readonly key: string;
      readonly versionId: string;
      readonly isLatest: boolean;
      readonly deleteMarker: false;
      readonly info: ObjectInfo;
    }
  | {
      readonly key: string;
      readonly versionId: string;
      readonly isLatest: boolean;
      readonly deleteMarker: true;
      readonly lastModified: number;
    };

export interface ListVersionsPage {
  /** Keys ascending (UTF-8 bytes), each key's versions newest first. */
  readonly entries: VersionEntry[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Key (or common prefix) of the last entry returned, when truncated. */
  readonly nextKeyMarker: string | undefined;
  /** Version ID of the last entry returned, when truncated and it was a version. */
  readonly nextVersionIdMarker: string | undefined;
}

export interface ListUploadsQuery {
  readonly prefix: string;
  readonly delimiter: string;
  readonly keyMarker: string;
  /** Only meaningful with `keyMarker`: uploads of that key with a larger id come next. */
  readonly uploadIdMarker: string;
  readonly maxUploads: number;
}

export interface ListUploadsPage {
  readonly uploads: { key: string; uploadId: string; info: UploadInfo }[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker: string | undefined;
  readonly nextUploadIdMarker: string | undefined;
}

export interface ListPartsPage {
  readonly parts: (PartInfo & { partNumber: number })[];
  readonly isTruncated: boolean;
}

/** What startup recovery freed (all zero for a backend that keeps nothing across restarts). */
export interface RecoveryReport {
  /** Bodies that were being written when the process died (never acknowledged). */
  readonly tempFiles: number;
  /** Blobs a committed change had dropped but not yet deleted. */
  readonly garbageBlobs: number;
}

export interface Store {
  /** For logs: `local (<dir>)`, `memory`. */
  readonly description: string;

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Finishes what a crash interrupted, before serving (fast: bounded by what was in flight). */
  recover(): Promise<RecoveryReport>;
  /**
   * Frees space a crash leaked (bytes stored but never committed) and written before
   * `startedBefore` (Unix ms). Slow, O(everything stored): run it in the background. Returns the
   * number of blobs freed.
   */
  sweep(startedBefore: number): Promise<number>;
  /**
   * How many objects, versions and multipart uploads are SSE-COS-encrypted under a server key
   * other than the current one (or while there is no key file): what a replaced or lost key file
   * made unreadable. Never creates a key. O(everything stored): run it in the background.
   */
  countForeignSseCos(): Promise<number>;
  /** Waits for background work (e.g. compaction) and releases the backend. */
  close(): Promise<void>;

  // ---- buckets -------------------------------------------------------------------------------

  getBucket(bucket: string): Promise<BucketInfo | undefined>;
  /** Every bucket, by name. */
  listBuckets(): Promise<{ name: string; info: BucketInfo }[]>;
  /** Creates a bucket; false if it already exists. */
  createBucket(bucket: string, info: BucketInfo): Promise<boolean>;
  /** Deletes an empty bucket (no object and no multipart upload): NoSuchBucket, BucketNotEmpty. */
  deleteBucket(bucket: string): Promise<void>;
  /** Replaces (or with `undefined` removes) the bucket's CORS configuration, durably. NoSuchBucket. */
  setBucketCors(bucket: string, cors: CorsConfiguration | undefined): Promise<void>;
  /**
   * PUT Bucket versioning: Enabled or Suspended, durably; objects already stored become the
   * `null` versions of their keys (nothing is rewritten). NoSuchBucket.
   */
  setBucketVersioning(bucket: string, status: VersioningStatus): Promise<void>;

  // ---- objects -------------------------------------------------------------------------------

  /** The current object (or `options.versionId`); undefined if missing or a delete marker. */
  getObject(bucket: string, key: string, options?: ReadOptions): Promise<ObjectInfo | undefined>;
  /**
   * The delete marker that is the key's latest version (no `versionId`) or the named version,
   * if that is one; undefined otherwise. Lets a read that found no object say why (404 with
   * `x-cos-delete-marker`).
   */
  getDeleteMarker(bucket: string, key: string, options?: ReadOptions): Promise<DeleteMarkerInfo | undefined>;
  /** Opens an object's bytes for reading (see {@link OpenedObject}); undefined if it is missing. */
  openObject(bucket: string, key: string, options?: ReadOptions): Promise<OpenedObject | undefined>;
  /**
   * PUT Object: stores `body` (at most `LIMITS.maxSinglePutSize` bytes) as the whole object,
   * replacing any existing one, appendable or not. NoSuchBucket, EntityTooLarge, IncompleteBody,
   * BadDigest.
   */
  putObject(bucket: string, key: string, body: IncomingBody, options: WriteOptions): Promise<ObjectInfo>;
  /**
   * APPEND Object at `position`, which must be the current length (AppendPositionErr), of an
   * appendable object or none (ObjectNotAppendable); the object may grow to
   * `LIMITS.maxAppendableObjectSize` (EntityTooLarge). Of concurrent appends at one position
   * exactly one wins. `options.headers` apply when the append creates the object.
   */
  appendObject(
    bucket: string,
    key: string,
    position: number,
    body: IncomingBody,
    options: WriteOptions,
  ): Promise<ObjectInfo>;
  /**
   * DELETE Object. Without `versionId`: a bucket that never had versioning loses the object
   * (a missing key succeeds); otherwise a delete marker becomes the latest version. With it:
   * that version is removed for good (a missing one changes nothing and says `noSuchVersion`,
   * except `null`). NoSuchBucket.
   */
  deleteObject(bucket: string, key: string, options?: ReadOptions): Promise<DeleteOutcome>;
  /**
   * Delete Multiple Objects: every target as {@link deleteObject} would, in one commit; the
   * outcomes in the targets' order. NoSuchBucket. Up to `LIMITS.maxDeleteObjects` targets; the
   * caller validates them.
   */
  deleteObjects(bucket: string, targets: readonly DeleteTarget[]): Promise<DeleteOutcome[]>;
  /**
   * PUT Object - Copy within this store (the source's current object, or its `versionId`;
   * a delete marker is NoSuchCopySource): the target becomes the source's bytes — shared, not
   * copied (no byte is read or written; the blobs are counted as held twice) — with the headers
   * `options.headersFor` gives, replacing any existing target (also when target = source). The
   * source is read inside the commit, so `options.check` sees exactly what is copied. NoSuchBucket
   * (either bucket), NoSuchCopySource, FileAlreadyExists, and whatever `check` throws.
   */
  copyObject(
    source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
    target: { readonly bucket: string; readonly key: string },
    options: CopyObjectOptions,
  ): Promise<ObjectInfo>;
  /**
   * Replaces an object's headers in one commit without touching its bytes, ETag or Last-Modified
   * (PUT/DELETE Object acl and tagging), of the current object or `options.versionId`. `update`
   * gets the current info and returns the new headers. NoSuchBucket, NoSuchKey, NoSuchVersion,
   * MethodNotAllowed (the version is a delete marker).
   */
  updateObjectHeaders(
    bucket: string,
    key: string,
    update: (current: ObjectInfo) => StoredHeaders,
    options?: ReadOptions,
  ): Promise<ObjectInfo>;
  /** One page of keys in UTF-8 byte order; a delimiter roll-up costs O(page), not O(keys). */
  listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage>;
  /**
   * GET Bucket Object versions: one page of every version and delete marker, keys in UTF-8 byte
   * order, each key's newest first; O(page), not O(versions).
   */
  listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage>;

  // ---- multipart -----------------------------------------------------------------------------

  /** Starts a multipart upload; ids sort chronologically. NoSuchBucket. */
  initiateUpload(bucket: string, key: string, options: WriteOptions): Promise<string>;
  getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo | undefined>;
  /**
   * Upload Part: stores `body` (at most `LIMITS.maxPartSize`); a re-upload of a number replaces
   * it. NoSuchUpload (also when the upload is aborted or completed while the body streams).
   */
  putPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: IncomingBody,
    options?: PartOptions,
  ): Promise<PartInfo>;
  /**
   * Upload Part - Copy: `range` of an opened object (its plaintext) becomes part `partNumber`,
   * stored as the upload's encryption says. As {@link putPart}.
   */
  copyPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: OpenedObject,
    range: ByteRange,
    options?: PartOptions,
  ): Promise<PartInfo>;
  /** Parts with number > `marker`, at most `max` of them. */
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    marker: number,
    max: number,
  ): Promise<ListPartsPage>;
  /**
   * Complete: the object becomes the listed parts, in O(parts) (no byte copied where the backend
   * can link); unlisted parts and any replaced object are freed. NoSuchUpload, MalformedXML,
   * InvalidPart, InvalidPartOrder, EntityTooSmall.
   */
  completeUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly RequestedPart[],
    options?: CompleteOptions,
  ): Promise<ObjectInfo>;
  /** Aborts an upload and frees its parts. NoSuchUpload. */
  abortUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage>;
}
