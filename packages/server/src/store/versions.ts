/**
 * Bucket versioning, backend-neutral: how every write, delete and versioned read changes or reads
 * the index, in one place for both backends. Each function runs inside one backend transaction
 * (see {@link MutableTable}) and gets the change's `release`, which frees blobs no version holds
 * any more (counting down blobs that copies share).
 *
 * The layout (keys.ts, docs/ARCHITECTURE.md "Versions"):
 * - `objects`: `bucket\0key` → the key's current version, if that is an object (not a delete
 *   marker). Plain listings, GET/HEAD without versionId, APPEND and compaction read only this,
 *   exactly as in a bucket that never had versioning — so they stay O(page) and unchanged.
 * - `versions`: `bucket\0key\0<inverted seq>` → every *other* version of the key: the older
 *   objects and every delete marker (a delete marker that is the latest has no `objects` entry).
 * - `nullVersions`: `bucket\0key` → seq of the key's `null` version while it sits in `versions`
 *   (the one version whose ID does not encode its position).
 *
 * A bucket that never had versioning has no `versions` entries, and its writes behave as before
 * versioning existed (replace, free the old bytes). Objects written before versioning was enabled
 * are `null` versions, ordered by their Last-Modified time; no migration is needed.
 */
import type { VersioningStatus } from '@coskit/protocol';
import { objectKey, versionKey, versionsOfKey } from './keys.js';
import { firstIn, type MutableTable } from './ordered-table.js';
import {
  blobsOf,
  type DeleteMarkerRecord,
  infoOf,
  isDeleteMarker,
  type ObjectRecord,
  type VersionRecord,
} from './records.js';
import type { ObjectInfo } from './store.js';
import { StoreError } from './store-error.js';
import {
  NULL_VERSION_ID,
  nextSequence,
  sequenceOfTime,
  sequenceOfVersionId,
  versionIdOf,
} from './version-ids.js';

/** The three tables versioning touches, as one change sees them. */
export interface VersionTables {
  readonly objects: MutableTable<ObjectRecord>;
  readonly versions: MutableTable<VersionRecord>;
  readonly nullVersions: MutableTable<number>;
}

/** Frees blobs no record holds any more (inside the change). */
export type Release = (ids: Iterable<string>) => void;

/** What DELETE Object did: the version it removed or the delete marker it wrote. */
export interface DeleteOutcome {
  /** The version removed (with a versionId) or the delete marker written; absent if unversioned. */
  readonly versionId?: string;
  /** The version removed or written is a delete marker. */
  readonly deleteMarker?: boolean;
  /** The named version does not exist (nothing changed): NoSuchVersion. */
  readonly noSuchVersion?: boolean;
}

/** A record's version ID: objects written before versioning are the `null` version. */
export function versionIdOfRecord(record: VersionRecord): string {
  return record.versionId ?? NULL_VERSION_ID;
}

/** A record's place among its key's versions. */
export function sequenceOf(record: VersionRecord): number {
  return record.seq ?? sequenceOfTime(record.lastModified);
}

/**
 * Writes `record` as the key's newest version (PUT, POST, Complete, Copy). Never-versioned
 * bucket: replaces the current object, honouring `forbidOverwrite`, and frees its blobs.
 * Enabled: a new version with a new ID; the current one becomes an older version. Suspended: the
 * `null` version, replacing (and freeing) the key's previous `null` version wherever it is.
 * `forbidOverwrite` is ignored once a bucket has had versioning, as COS does. Returns the record
 * as stored.
 */
export function writeVersion(
  t: VersionTables,
  status: VersioningStatus | undefined,
  bucket: string,
  key: string,
  record: ObjectRecord,
  release: Release,
  forbidOverwrite = false,
  targetCheck?: (current: ObjectInfo | undefined) => void,
): ObjectRecord {
  const k = objectKey(bucket, key);
  const current = checkWriteVersion(t, status, bucket, key, forbidOverwrite, targetCheck);
  if (status === undefined) {
    t.objects.put(k, record);
    if (current) release(blobsOf(current));
    return record;
  }
  const seq = nextSequence(newestSequence(t, bucket, key, current));
  const stored: ObjectRecord = {
    ...record,
    versionId: status === 'Enabled' ? versionIdOf(seq) : NULL_VERSION_ID,
    seq,
  };
  if (current) retire(t, bucket, key, current, status, release);
  if (status === 'Suspended') removeNullVersion(t, bucket, key, release);
  t.objects.put(k, stored);
  return stored;
}

/**
 * The checks {@link writeVersion} makes before it writes anything, in its order: `targetCheck` on
 * the object the key shows (a delete marker shows none), then FileAlreadyExists for
 * `forbidOverwrite` in a never-versioned bucket. A change that must write something else before
 * its writeVersion (a copy counts the shared blobs first) runs these first: a throw inside a
 * backend's change does not undo the writes it already made (LMDB's batched transactions commit
 * them), so every change checks before it writes. Returns the key's current object.
 */
export function checkWriteVersion(
  t: Pick<VersionTables, 'objects'>,
  status: VersioningStatus | undefined,
  bucket: string,
  key: string,
  forbidOverwrite = false,
  targetCheck?: (current: ObjectInfo | undefined) => void,
): ObjectRecord | undefined {
  const current = t.objects.get(objectKey(bucket, key));
  targetCheck?.(current && !isDeleteMarker(current) ? infoOf(current) : undefined);
  if (status === undefined && current && forbidOverwrite) throw new StoreError('FileAlreadyExists');
  return current;
}

/**
 * DELETE without versionId. Never-versioned bucket: removes the object and frees it. Otherwise
 * a delete marker becomes the latest version (Enabled: with a new ID; Suspended: the `null`
 * version, replacing the previous one) — also when the key has no object at all, as COS does.
 */
export function deleteLatest(
  t: VersionTables,
  status: VersioningStatus | undefined,
  bucket: string,
  key: string,
  release: Release,
): DeleteOutcome {
  const k = objectKey(bucket, key);
  const current = t.objects.get(k);
  if (status === undefined) {
    if (current) {
      t.objects.remove(k);
      release(blobsOf(current));
    }
    return {};
  }
  const seq = nextSequence(newestSequence(t, bucket, key, current));
  const marker: DeleteMarkerRecord = {
    deleteMarker: true,
    versionId: status === 'Enabled' ? versionIdOf(seq) : NULL_VERSION_ID,
    seq,
    lastModified: Date.now(),
  };
  if (current) {
    t.objects.remove(k);
    retire(t, bucket, key, current, status, release);
  }
  if (status === 'Suspended') removeNullVersion(t, bucket, key, release);
  t.versions.put(versionKey(bucket, key, seq), marker);
  if (status === 'Suspended') t.nullVersions.put(k, seq);
  return { versionId: marker.versionId, deleteMarker: true };
}

/**
 * DELETE with versionId: removes that version for good (freeing its blobs unless a copy still
 * holds them). If it was the latest, the newest remaining version becomes current (unless it is a
 * delete marker). A version that does not exist changes nothing and says `noSuchVersion` — except
 * `null`, whose absence is a success like DELETE of a missing key.
 */
export function deleteVersion(
  t: VersionTables,
  bucket: string,
  key: string,
  versionId: string,
  release: Release,
): DeleteOutcome {
  const k = objectKey(bucket, key);
  const current = t.objects.get(k);
  if (current && versionIdOfRecord(current) === versionId) {
    t.objects.remove(k);
    release(blobsOf(current));
    promoteNewest(t, bucket, key);
    return { versionId };
  }
  const found = findOlderVersion(t, bucket, key, versionId);
  if (!found) return versionId === NULL_VERSION_ID ? { versionId } : { versionId, noSuchVersion: true };
  t.versions.remove(found.key);
  if (versionId === NULL_VERSION_ID) t.nullVersions.remove(k);
  if (!isDeleteMarker(found.value)) release(blobsOf(found.value));
  if (!current) promoteNewest(t, bucket, key);
  return { versionId, deleteMarker: isDeleteMarker(found.value) };
}

/**
 * The version a read names: `versionId` undefined is the current object (undefined when the
 * latest is a delete marker or there is none); otherwise that version, object or marker.
 */
export function readVersion(
  t: Pick<VersionTables, 'objects' | 'versions' | 'nullVersions'>,
  bucket: string,
  key: string,
  versionId: string | undefined,
): VersionRecord | undefined {
  const current = t.objects.get(objectKey(bucket, key));
  if (versionId === undefined) return current;
  if (current && versionIdOfRecord(current) === versionId) return current;
  return findOlderVersion(t, bucket, key, versionId)?.value;
}

/** The delete marker that is the key's latest version, if it is one. */
export function latestDeleteMarker(
  t: Pick<VersionTables, 'objects' | 'versions'>,
  bucket: string,
  key: string,
): DeleteMarkerRecord | undefined {
  if (t.objects.get(objectKey(bucket, key))) return undefined;
  const top = firstIn(t.versions, versionsOfKey(bucket, key))?.value;
  return top && isDeleteMarker(top) ? top : undefined;
}

/**
 * Replaces the record of one version (PUT/DELETE acl and tagging with a versionId). NoSuchKey
 * without a versionId and no current object, NoSuchVersion for an absent version, MethodNotAllowed
 * for a delete marker.
 */
export function updateVersion(
  t: VersionTables,
  bucket: string,
  key: string,
  versionId: string | undefined,
  update: (current: ObjectRecord) => ObjectRecord,
): ObjectRecord {
  const k = objectKey(bucket, key);
  const current = t.objects.get(k);
  if (versionId === undefined || (current && versionIdOfRecord(current) === versionId)) {
    if (!current) throw new StoreError('NoSuchKey');
    const next = update(current);
    t.objects.put(k, next);
    return next;
  }
  const found = findOlderVersion(t, bucket, key, versionId);
  if (!found) throw new StoreError('NoSuchVersion');
  if (isDeleteMarker(found.value))
    throw new StoreError('MethodNotAllowed', 'The version is a delete marker.');
  const next = update(found.value);
  t.versions.put(found.key, next);
  return next;
}

/** Whether a bucket holds any older version or delete marker (DELETE Bucket must refuse). */
export function hasOlderVersions(t: Pick<VersionTables, 'versions'>, bucket: string): boolean {
  return (
    firstIn(t.versions, { start: objectKey(bucket, ''), end: objectKey(`${bucket}\u0001`, '') }) !== undefined
  );
}

/**
 * APPEND is not for buckets with versioning (COS doc 7741: appendable objects take no part in
 * versioning). Checked inside the append's commit, so enabling versioning meanwhile cannot let
 * one through.
 */
export function refuseAppendIfVersioned(status: VersioningStatus | undefined): void {
  if (status !== undefined) {
    throw new StoreError(
      'InvalidRequest',
      'APPEND Object is not supported on a bucket with versioning (enabled or suspended); use PUT Object or a multipart upload.',
    );
  }
}

// ---- internals ------------------------------------------------------------------------------

/** The newest sequence number the key has (0: none), so a new version sorts above it. */
function newestSequence(
  t: VersionTables,
  bucket: string,
  key: string,
  current: ObjectRecord | undefined,
): number {
  if (current) return sequenceOf(current);
  const top = firstIn(t.versions, versionsOfKey(bucket, key))?.value;
  return top ? sequenceOf(top) : 0;
}

/**
 * The current object stops being current. Enabled: kept as an older version (a `null` one is
 * indexed). Suspended: a `null` current is replaced by the new `null` version, so it is freed;
 * any other is kept.
 */
function retire(
  t: VersionTables,
  bucket: string,
  key: string,
  current: ObjectRecord,
  status: VersioningStatus,
  release: Release,
): void {
  const isNull = versionIdOfRecord(current) === NULL_VERSION_ID;
  if (status === 'Suspended' && isNull) {
    release(blobsOf(current));
    return;
  }
  const seq = sequenceOf(current);
  t.versions.put(versionKey(bucket, key, seq), current);
  if (isNull) t.nullVersions.put(objectKey(bucket, key), seq);
}

/** Removes (and frees) the key's older `null` version, if it has one. */
function removeNullVersion(t: VersionTables, bucket: string, key: string, release: Release): void {
  const k = objectKey(bucket, key);
  const seq = t.nullVersions.get(k);
  if (seq === undefined) return;
  const vk = versionKey(bucket, key, seq);
  const record = t.versions.get(vk);
  t.versions.remove(vk);
  t.nullVersions.remove(k);
  if (record && !isDeleteMarker(record)) release(blobsOf(record));
}

/** After the current version went: the newest older version becomes current if it is an object. */
function promoteNewest(t: VersionTables, bucket: string, key: string): void {
  const top = firstIn(t.versions, versionsOfKey(bucket, key));
  if (!top || isDeleteMarker(top.value)) return;
  t.versions.remove(top.key);
  if (versionIdOfRecord(top.value) === NULL_VERSION_ID) t.nullVersions.remove(objectKey(bucket, key));
  t.objects.put(objectKey(bucket, key), top.value);
}

/** An older version (in `versions`) by ID, with its index key. */
function findOlderVersion(
  t: Pick<VersionTables, 'versions' | 'nullVersions'>,
  bucket: string,
  key: string,
  versionId: string,
): { key: Buffer; value: VersionRecord } | undefined {
  const seq =
    versionId === NULL_VERSION_ID
      ? t.nullVersions.get(objectKey(bucket, key))
      : sequenceOfVersionId(versionId);
  if (seq === undefined) return undefined;
  const vk = versionKey(bucket, key, seq);
  const value = t.versions.get(vk);
  if (!value || versionIdOfRecord(value) !== versionId) return undefined;
  return { key: vk, value };
}
