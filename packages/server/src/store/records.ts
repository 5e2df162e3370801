/**
 * The records backends keep behind the {@link Store} interface, and how writes derive them. A
 * record is its public info plus where its bytes are: segments naming blobs, which only the
 * backend that stores them can read. Times are Unix milliseconds; sizes are bytes.
 */
import { createHash } from 'node:crypto';
import { crc64Combine, crc64ToDecimal, LIMITS, parseCrc64Decimal } from '@coskit/protocol';
import type { StoredEncryption } from './encryption.js';
import type { AssembledObject } from './multipart-assembly.js';
import { checksumHeaders } from './object-checksum.js';
import { objectPartsHeaders } from './object-parts.js';
import type { BucketInfo, ObjectInfo, PartInfo, PartOptions, StoredHeaders, UploadInfo } from './store.js';
import { StoreError } from './store-error.js';

export type { StoredHeaders } from './store.js';

/** A run of an object's bytes held in one blob. */
export interface Segment {
  readonly blob: string;
  readonly size: number;
  /**
   * Compaction level (local store): 0 for an append's own blob, n+1 for a blob merged from
   * segments of level n. Absent (= 0) in records written before compaction existed.
   */
  readonly level?: number;
  /** The blob's encryption nonce (hex) when its bytes are encrypted (see `encryption.ts`). */
  readonly nonce?: string;
  /** The blob's bytes are in the metadata index, not a file (local store: small PUT bodies). */
  readonly inline?: true;
}

export type BucketRecord = BucketInfo;
export type UploadRecord = UploadInfo;

export interface ObjectRecord extends ObjectInfo {
  /** The object's bytes, in order; a multipart object keeps its parts' blobs, an appendable one grows. */
  readonly segments: readonly Segment[];
  /**
   * Where the version sorts among its key's versions (version-ids.ts); set on every version
   * written while the bucket has versioning, absent on objects written before (their time is used).
   */
  readonly seq?: number;
}

/** A delete marker: the version a DELETE without versionId leaves in a bucket with versioning. */
export interface DeleteMarkerRecord {
  readonly deleteMarker: true;
  readonly versionId: string;
  readonly seq: number;
  /** Unix milliseconds. */
  readonly lastModified: number;
}

/** One entry of the versions table: an object version or a delete marker. */
export type VersionRecord = ObjectRecord | DeleteMarkerRecord;

export function isDeleteMarker(record: VersionRecord): record is DeleteMarkerRecord {
  return 'deleteMarker' in record;
}

export interface PartRecord extends PartInfo {
  readonly blob: string;
  /** As {@link Segment.nonce}. */
  readonly nonce?: string;
}

/** The identity of bytes just stored in a blob. */
export interface StoredBlob {
  readonly id: string;
  readonly size: number;
  /** Lowercase hex MD5 of the bytes. */
  readonly md5: string;
  /** CRC-64/XZ of the bytes. */
  readonly crc64: bigint;
  /** Set when the blob holds the bytes encrypted: the nonce of its key (see `encryption.ts`). */
  readonly nonce?: string | undefined;
  /** Set when the bytes are kept in the metadata index (see {@link Segment.inline}). */
  readonly inline?: true | undefined;
}

/** The segment a blob becomes (its nonce kept when it is encrypted). */
export function segmentOf(blob: StoredBlob): Segment {
  return {
    blob: blob.id,
    size: blob.size,
    ...(blob.nonce === undefined ? {} : { nonce: blob.nonce }),
    ...(blob.inline ? { inline: true as const } : {}),
  };
}

export const quoted = (md5hex: string): string => `"${md5hex}"`;

/**
 * The record of a one-blob object: PUT Object, or the first APPEND (`appendable`). ETag and CRC-64
 * are the plaintext's, also when `encryption` says the blob holds it encrypted.
 */
export function singleBlobObject(
  blob: StoredBlob,
  headers: StoredHeaders,
  appendable: boolean,
  encryption?: StoredEncryption,
): ObjectRecord {
  return {
    size: blob.size,
    etag: quoted(blob.md5),
    crc64: crc64ToDecimal(blob.crc64),
    lastModified: Date.now(),
    headers,
    segments: [segmentOf(blob)],
    appendable,
    ...(encryption ? { encryption } : {}),
  };
}

/**
 * An appendable object after `blob` is appended: size, the chained ETag (see {@link chainEtag})
 * and the CRC-64 combined without re-reading a byte. The segment list is copied, so backends keep
 * it short (the local store compacts it; see local/compaction.ts).
 */
export function appendedObject(current: ObjectRecord, blob: StoredBlob): ObjectRecord {
  return {
    ...current,
    size: current.size + blob.size,
    etag: chainEtag(current.etag, blob.md5),
    crc64: crc64ToDecimal(crc64Combine(parseCrc64Decimal(current.crc64) ?? 0n, blob.crc64, blob.size)),
    lastModified: Date.now(),
    segments: [...current.segments, segmentOf(blob)],
  };
}

/**
 * APPEND's rule, checked inside the commit so concurrent appends serialise: the object must be
 * appendable or absent (ObjectNotAppendable), `position` its length (AppendPositionErr), and it
 * may grow to `LIMITS.maxAppendableObjectSize` (EntityTooLarge). Returns the record after the
 * append; `headers` apply when the append creates the object.
 */
export function appendTo(
  current: ObjectRecord | undefined,
  position: number,
  blob: StoredBlob,
  headers: StoredHeaders,
): ObjectRecord {
  if (current && !current.appendable) throw new StoreError('ObjectNotAppendable');
  const length = current?.size ?? 0;
  if (position !== length) {
    throw new StoreError('AppendPositionErr', `Position ${position} is not the object's length ${length}.`);
  }
  if (length + blob.size > LIMITS.maxAppendableObjectSize) {
    throw new StoreError(
      'EntityTooLarge',
      `An appendable object may grow to ${LIMITS.maxAppendableObjectSize} bytes at most.`,
    );
  }
  return current ? appendedObject(current, blob) : singleBlobObject(blob, headers, true);
}

/**
 * The record of a part just stored in `blob`, with the S3 checksum `options.checksumAtEnd` gives
 * (called here, after the bytes are in).
 */
export function partOf(blob: StoredBlob, options: PartOptions = {}): PartRecord {
  const checksum = options.checksumAtEnd?.();
  return {
    blob: blob.id,
    ...(blob.nonce === undefined ? {} : { nonce: blob.nonce }),
    size: blob.size,
    etag: quoted(blob.md5),
    crc64: crc64ToDecimal(blob.crc64),
    lastModified: Date.now(),
    ...(checksum ? { checksum } : {}),
  };
}

/** The object Complete makes of an upload's assembled parts. */
export function assembledObject(upload: UploadRecord, assembled: AssembledObject): ObjectRecord {
  return {
    size: assembled.size,
    etag: assembled.etag,
    crc64: assembled.crc64,
    lastModified: Date.now(),
    headers: {
      ...upload.headers,
      ...(assembled.checksum ? checksumHeaders(assembled.checksum) : {}),
      ...objectPartsHeaders(assembled.parts),
    },
    segments: assembled.segments,
    appendable: false,
    ...(upload.encryption ? { encryption: upload.encryption } : {}),
  };
}

/**
 * The record PUT Object - Copy makes: the source's ETag and CRC-64 with new headers and a new
 * time, and `bytes`: the source's own segments (hence its blobs, which the backend now counts as
 * held once more) stored as the source is, or — for a copy that changes the encryption — the one
 * new blob the source was re-encrypted into. A copy is never appendable.
 */
export function copiedObject(
  source: ObjectInfo,
  headers: StoredHeaders,
  bytes: { readonly segments: readonly Segment[]; readonly encryption?: StoredEncryption | undefined },
): ObjectRecord {
  return {
    size: source.size,
    etag: source.etag,
    crc64: source.crc64,
    lastModified: Date.now(),
    headers,
    segments: bytes.segments,
    appendable: false,
    ...(bytes.encryption ? { encryption: bytes.encryption } : {}),
  };
}

/** The public view of a record (the same object: segments and blob ids are only typed away). */
export function infoOf(record: ObjectRecord): ObjectInfo {
  return record;
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

/** Blob ids an object record holds. */
export function blobsOf(record: ObjectRecord): string[] {
  return record.segments.map((s) => s.blob);
}
