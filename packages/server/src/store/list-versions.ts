/**
 * GET Bucket Object versions over the two version tables (see versions.ts): one walk in byte
 * order over `objects` (current objects) and `versions` (older versions and delete markers)
 * together. Keys hold no NUL, so `bucket\0key` sorts just before `bucket\0key\0<inverted seq>`:
 * the walk meets each key's current object, then its older versions newest first, then the next
 * key. Each table is read in order from one position (a {@link Cursor}); a rolled-up common
 * prefix and the markers are seeks. A page costs O(page size) entries read plus one seek per
 * roll-up, whatever the number of keys or versions.
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
import type { OrderedTable } from './ordered-table.js';
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
  const current = new Cursor(tables.objects, end);
  const older = new Cursor(tables.versions, end);
  current.seek(start);
  older.seek(start);
  try {
    for (;;) {
      const fromObjects =
        current.head !== undefined &&
        (older.head === undefined || Buffer.compare(current.head.key, older.head.key) < 0);
      const next: { key: Buffer; value: VersionRecord } | undefined = fromObjects ? current.head : older.head;
      if (!next) break;
      const name = fromObjects ? tailString(next.key, skip) : keyOfVersionKey(next.key, skip);
      const cut = q.delimiter === '' ? -1 : name.indexOf(q.delimiter, q.prefix.length);
      if (cut >= 0) {
        const prefix = name.slice(0, cut + q.delimiter.length);
        const past = pastPrefix(objectKey(bucket, prefix));
        current.seek(past);
        older.seek(past);
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
      (fromObjects ? current : older).advance();
    }
  } finally {
    current.close();
    older.close();
  }
  return {
    entries,
    commonPrefixes,
    isTruncated,
    nextKeyMarker: isTruncated ? last?.key : undefined,
    nextVersionIdMarker: isTruncated ? last?.versionId : undefined,
  };
}

/**
 * A position in one table's range: the entry at or after the last seek, advanced in order. A
 * seek starts a new range read (the skips: roll-ups and markers); advancing reads on, so a page
 * costs one seek per skip plus one step per entry in each table.
 */
class Cursor<V> {
  #iterator: Iterator<{ key: Buffer; value: V }> | undefined;
  /** The entry under the cursor (its key copied: a range read may reuse its key buffer). */
  head: { key: Buffer; value: V } | undefined;

  constructor(
    private readonly table: OrderedTable<V>,
    private readonly end: Buffer,
  ) {}

  seek(start: Buffer): void {
    this.close();
    this.#iterator = this.table.getRange({ start, end: this.end })[Symbol.iterator]();
    this.advance();
  }

  advance(): void {
    const step = this.#iterator?.next();
    this.head =
      step && !step.done ? { key: Buffer.from(step.value.key), value: step.value.value } : undefined;
  }

  /** Ends the range read (an LMDB cursor is released). */
  close(): void {
    this.#iterator?.return?.();
    this.#iterator = undefined;
  }
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
