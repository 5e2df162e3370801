/**
 * GET Bucket Object versions costs O(page), not O(versions): the listing of store/list-versions.ts
 * over tables that count every entry they hand out. One key with 3000 versions and 2000 keys under
 * a rolled-up prefix; every page must read a number of entries bounded by its size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listObjectVersions } from '../../src/store/list-versions.js';
import { SortedTable } from '../../src/store/memory/sorted-table.js';
import type { ObjectRecord, VersionRecord } from '../../src/store/records.js';
import type { ListVersionsQuery } from '../../src/store/store.js';
import { deleteLatest, type VersionTables, writeVersion } from '../../src/store/versions.js';

const BUCKET = 'pages-1250000000';

function record(n: number): ObjectRecord {
  return {
    size: 1,
    etag: `"${n}"`,
    crc64: '0',
    lastModified: Date.now(),
    headers: {},
    appendable: false,
    segments: [{ blob: `b${n}`, size: 1 }],
  };
}

/** A table that counts the entries its ranges yield. */
function counted<V>(table: SortedTable<V>, counter: { reads: number }) {
  return {
    get: (k: Buffer) => table.get(k),
    *getRange(range: { start: Buffer; end: Buffer }) {
      for (const entry of table.getRange(range)) {
        counter.reads++;
        yield entry;
      }
    },
  };
}

test('a versions page reads O(page) index entries, whatever the number of versions and keys', () => {
  const tables: VersionTables = {
    objects: new SortedTable<ObjectRecord>(),
    versions: new SortedTable<VersionRecord>(),
    nullVersions: new SortedTable<number>(),
  };
  const release = () => {};
  let n = 0;
  for (let i = 0; i < 3000; i++) writeVersion(tables, 'Enabled', BUCKET, 'hot', record(n++), release);
  deleteLatest(tables, 'Enabled', BUCKET, 'hot', release);
  for (let i = 0; i < 2000; i++) writeVersion(tables, 'Enabled', BUCKET, `dir/${i}`, record(n++), release);
  writeVersion(tables, 'Enabled', BUCKET, 'zzz', record(n++), release);

  const counter = { reads: 0 };
  const view = {
    objects: counted(tables.objects as SortedTable<ObjectRecord>, counter),
    versions: counted(tables.versions as SortedTable<VersionRecord>, counter),
    nullVersions: tables.nullVersions,
  };
  const page = (q: Partial<ListVersionsQuery>) => {
    counter.reads = 0;
    const result = listObjectVersions(view, BUCKET, {
      prefix: '',
      delimiter: '',
      keyMarker: '',
      versionIdMarker: '',
      maxKeys: 10,
      ...q,
    });
    return { result, reads: counter.reads };
  };

  // Each step seeks once in each table (at most 2 entries), plus the look-ahead that finds the page full.
  const bound = (size: number) => 2 * (size + 1);
  const first = page({});
  assert.equal(first.result.entries.length, 10);
  assert.ok(first.result.isTruncated);
  assert.ok(first.reads <= bound(10), `${first.reads} entries read for a page of 10`);
  assert.equal(first.result.entries[0]?.key, 'dir/0');

  // The key with 3000 versions: its delete marker first, then, by both markers, its middle.
  const hot = page({ keyMarker: 'dir/999' });
  assert.ok(hot.reads <= bound(10), `${hot.reads} entries read`);
  assert.equal(hot.result.entries[0]?.key, 'hot');
  assert.equal(hot.result.entries[0]?.deleteMarker, true);
  assert.equal(hot.result.entries[0]?.isLatest, true);
  assert.equal(hot.result.nextKeyMarker, 'hot');
  const middle = page({ keyMarker: 'hot', versionIdMarker: hot.result.nextVersionIdMarker! });
  assert.ok(middle.reads <= bound(10), `${middle.reads} entries read`);
  assert.equal(middle.result.entries[0]?.key, 'hot');
  assert.equal(middle.result.entries[0]?.isLatest, false);
  assert.equal(middle.result.entries[0]?.deleteMarker, false);

  // 2000 keys under dir/ roll up into one common prefix in one seek.
  const rolled = page({ delimiter: '/', maxKeys: 1 });
  assert.deepEqual(rolled.result.commonPrefixes, ['dir/']);
  assert.deepEqual(rolled.result.entries, []);
  assert.equal(rolled.result.nextKeyMarker, 'dir/');
  assert.ok(rolled.reads <= bound(1), `${rolled.reads} entries read to roll up 2000 keys`);
  const next = page({ delimiter: '/', maxKeys: 1, keyMarker: 'dir/' });
  assert.equal(next.result.entries[0]?.key, 'hot');
  assert.ok(next.reads <= bound(1) + 2, `${next.reads} entries read past a rolled-up prefix`);

  // A key-marker alone skips all 3001 versions of that key in one seek.
  const after = page({ keyMarker: 'hot', maxKeys: 3 });
  assert.deepEqual(
    after.result.entries.map((e) => e.key),
    ['zzz'],
  );
  assert.ok(after.reads <= bound(3), `${after.reads} entries read after a key with 3001 versions`);
});
