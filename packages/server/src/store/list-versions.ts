/**
 * GET Bucket Object versions over the two version tables (see versions.ts): one walk in byte
 * order over `objects` (current objects) and `versions` (older versions and delete markers)
 * together. Keys hold no NUL, so `bucket\0key` sorts just before `bucket\0key\0<inverted seq>`:
 * the walk meets each key's current object, then its older versions newest first, then the next
 * key. Each step is one seek in each table from the cursor; a rolled-up common prefix and the
 * markers are seeks too. A page costs O(page size) seeks whatever the number of keys or versions.
 */
import {
  bucketPrefixLength,
  justAfter,
  keyOfVersionKey,
  objectKey,
  objectRangeEnd,
  pastPrefix,
  pastVersionsOf,
  tailString,
  versionKey,
} from './keys.js';
import { firstIn, type OrderedTable } from './ordered-table.js';
import { isDeleteMarker, type ObjectRecord, type VersionRecord } from './records.js';
import type { ListVersionsPage, ListVersionsQuery, VersionEntry } from './store.js';
import { NULL_VERSION_ID, sequenceOfVersionId } from './version-ids.js';
import { sequenceOf, versionIdOfRecord } from './versions.js';

export function listObjectVersions(
  tables: {
    readonly objects: OrderedTable<ObjectRecord> & { get(key: Buffer): ObjectRecord | undefined };
    readonly versions: OrderedTable<VersionRecord>;
    readonly nullVersions: { get(key: Buffer): number | undefined };
  },
  bucket: string,
  q: ListVersionsQuery,
): ListVersionsPage {
  const skip = bucketPrefixLength(bucket);
  const end = objectRangeEnd(bucket, q.prefix);
  let start = objectKey(bucket, q.prefix);
  /** The key of the entry before the cursor: the first entry of any other key is its latest. */
  let previousKey: string | undefined;
  if (q.keyMarker !== '') {
    const seq = q.versionIdMarker === '' ? undefined : markerSequence(tables, bucket, q);
    const after =
      seq === undefined
        ? pastVersionsOf(bucket, q.keyMarker)
        : justAfter(versionKey(bucket, q.keyMarker, seq));
    if (seq !== undefined) previousKey = q.keyMarker;
    if (Buffer.compare(after, start) > 0) start = after;
  }
  const entries: VersionEntry[] = [];
  const commonPrefixes: string[] = [];
  let last: { key: string; versionId?: string } | undefined;
  let count = 0;
  let isTruncated = false;
  for (;;) {
    const current = firstIn(tables.objects, { start, end });
    const older = firstIn(tables.versions, { start, end });
    const fromObjects =
      current !== undefined && (older === undefined || Buffer.compare(current.key, older.key) < 0);
    const next: { key: Buffer; value: VersionRecord } | undefined = fromObjects ? current : older;
    if (!next) break;
    const name = fromObjects ? tailString(next.key, skip) : keyOfVersionKey(next.key, skip);
    const cut = q.delimiter === '' ? -1 : name.indexOf(q.delimiter, q.prefix.length);
    if (cut >= 0) {
      const prefix = name.slice(0, cut + q.delimiter.length);
      start = pastPrefix(objectKey(bucket, prefix));
      // A prefix already returned on an earlier page (the marker is it, or lies inside it).
      if (q.keyMarker !== '' && q.keyMarker.startsWith(prefix)) continue;
      if (count === q.maxKeys) {
        isTruncated = true;
        break;
      }
      commonPrefixes.push(prefix);
      last = { key: prefix };
      previousKey = undefined;
      count++;
      continue;
    }
    if (count === q.maxKeys) {
      isTruncated = true;
      break;
    }
    const record = next.value;
    const versionId = versionIdOfRecord(record);
    const isLatest = name !== previousKey;
    entries.push(
      isDeleteMarker(record)
        ? { key: name, versionId, isLatest, deleteMarker: true, lastModified: record.lastModified }
        : { key: name, versionId, isLatest, deleteMarker: false, info: record },
    );
    previousKey = name;
    last = { key: name, versionId };
    count++;
    start = justAfter(next.key);
  }
  return {
    entries,
    commonPrefixes,
    isTruncated,
    nextKeyMarker: isTruncated ? last?.key : undefined,
    nextVersionIdMarker: isTruncated ? last?.versionId : undefined,
  };
}

/** Where `version-id-marker` sits among the marker key's versions (undefined: nowhere known). */
function markerSequence(
  tables: Parameters<typeof listObjectVersions>[0],
  bucket: string,
  q: ListVersionsQuery,
): number | undefined {
  if (q.versionIdMarker !== NULL_VERSION_ID) return sequenceOfVersionId(q.versionIdMarker);
  const k = objectKey(bucket, q.keyMarker);
  const current = tables.objects.get(k);
  if (current && versionIdOfRecord(current) === NULL_VERSION_ID) return sequenceOf(current);
  return tables.nullVersions.get(k);
}
