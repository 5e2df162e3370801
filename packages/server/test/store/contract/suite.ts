/**
 * The contract every {@link Store} backend keeps: what the HTTP handlers rely on. Run it with
 * `storeContract(backend)` from a `*.test.ts`; crash points are in crash.ts (durable backends).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { crc64, crc64Combine, crc64ToDecimal, LIMITS } from '@coskit/protocol';
import { objectPartsOf } from '../../../src/store/object-parts.js';
import { type ObjectInfo, type Store, StoreError } from '../../../src/store/store.js';
import {
  type BackendUnderTest,
  bodyOf,
  contentOf,
  eventually,
  md5hex,
  type OpenedBackend,
  readAll,
  rejectsWith,
  unreadableBody,
} from './support.js';
import { versioningContract } from './versioning.js';

const MiB = 1024 * 1024;
const headers = { 'content-type': 'text/plain', 'x-cos-meta-a': '1' };
const crcOf = (b: Buffer) => crc64ToDecimal(crc64(b));

export function storeContract(backend: BackendUnderTest): void {
  describe(`Store contract: ${backend.name}`, () => {
    let b: OpenedBackend;
    let store: Store;
    let n = 0;
    /** A fresh, created bucket. */
    const bucket = async () => {
      const name = `contract${++n}-1250000000`;
      assert.equal(await store.createBucket(name, { created: Date.now(), acl: 'private', grants: {} }), true);
      return name;
    };
    before(async () => {
      b = await backend.open();
      store = b.store;
    });
    after(() => b.dispose());

    versioningContract({ store: () => store, backend: () => b, bucket });

    test('a fresh store recovers nothing and sweeps nothing', async () => {
      assert.deepEqual(await store.recover(), { tempFiles: 0, garbageBlobs: 0 });
      assert.equal(await store.sweep(Date.now() + 1000), 0);
      assert.equal(typeof store.description, 'string');
    });

    test('buckets: create once, get, list in order, delete only when empty', async () => {
      const info = {
        created: 1_700_000_000_000,
        acl: 'public-read',
        grants: { 'x-cos-grant-read': 'id="1"' },
      };
      assert.equal(await store.createBucket('zz-1250000000', info), true);
      assert.equal(await store.createBucket('zz-1250000000', { ...info, acl: 'private' }), false);
      assert.deepEqual(await store.getBucket('zz-1250000000'), info);
      assert.equal(await store.createBucket('aa-1250000000', info), true);
      const names = (await store.listBuckets()).map((x) => x.name);
      assert.deepEqual(
        names.filter((x) => x === 'aa-1250000000' || x === 'zz-1250000000'),
        ['aa-1250000000', 'zz-1250000000'],
      );
      assert.deepEqual(names, [...names].sort());
      assert.equal(await store.getBucket('missing-1250000000'), undefined);
      await rejectsWith(store.deleteBucket('missing-1250000000'), 'NoSuchBucket');

      await store.putObject('zz-1250000000', 'k', bodyOf(Buffer.from('x')), { headers });
      await rejectsWith(store.deleteBucket('zz-1250000000'), 'BucketNotEmpty');
      await store.deleteObject('zz-1250000000', 'k');
      const uploadId = await store.initiateUpload('zz-1250000000', 'u', { headers });
      await rejectsWith(store.deleteBucket('zz-1250000000'), 'BucketNotEmpty');
      await store.abortUpload('zz-1250000000', 'u', uploadId);
      await store.deleteBucket('zz-1250000000');
      assert.equal(await store.getBucket('zz-1250000000'), undefined);
      // A bucket whose name extends another's is not "inside" it.
      await store.putObject('aa-1250000000', 'k', bodyOf(Buffer.from('x')), { headers });
      assert.equal(await store.createBucket('aa-12500000001', info), true);
      await store.deleteBucket('aa-12500000001');
    });

    test('bucket CORS rules: set, replace, remove; the rest of the bucket untouched; NoSuchBucket', async () => {
      const name = await bucket();
      const before = await store.getBucket(name);
      const rules = {
        CORSRule: [{ AllowedOrigin: ['*'], AllowedMethod: ['GET'], AllowedHeader: [], ExposeHeader: [] }],
      };
      await store.setBucketCors(name, rules);
      assert.deepEqual(await store.getBucket(name), { ...before, cors: rules });
      const other = {
        CORSRule: [{ ...rules.CORSRule[0]!, AllowedOrigin: ['https://a.example'] }],
        ResponseVary: true,
      };
      await store.setBucketCors(name, other);
      assert.deepEqual((await store.getBucket(name))?.cors, other);
      await store.setBucketCors(name, undefined);
      assert.deepEqual(await store.getBucket(name), before);
      await rejectsWith(store.setBucketCors('missing-1250000000', rules), 'NoSuchBucket');
    });

    test('PUT: info (ETag = MD5, CRC-64, size, headers), HEAD and GET of the bytes, ranges', async () => {
      const bkt = await bucket();
      const bytes = randomBytes(100_000);
      const info = await store.putObject(bkt, 'dir/a.bin', bodyOf(bytes, { md5: true }), { headers });
      assert.equal(info.etag, `"${md5hex(bytes)}"`);
      assert.equal(info.crc64, crcOf(bytes));
      assert.equal(info.size, bytes.length);
      assert.equal(info.appendable, false);
      assert.deepEqual(info.headers, headers);
      assert.ok(Math.abs(info.lastModified - Date.now()) < 60_000);
      assert.deepEqual(await store.getObject(bkt, 'dir/a.bin'), info);
      const opened = await store.openObject(bkt, 'dir/a.bin');
      assert.ok(opened);
      try {
        assert.deepEqual(opened.info, info);
        assert.ok((await readAll(opened.read())).equals(bytes));
        assert.ok((await readAll(opened.read({ start: 10, end: 19 }))).equals(bytes.subarray(10, 20)));
        assert.ok(
          (await readAll(opened.read({ start: 99_999, end: 99_999 }))).equals(bytes.subarray(99_999)),
        );
        assert.equal((await readAll(opened.read({ start: 5, end: 4 }))).length, 0);
        // readAll: the same bytes in one buffer.
        assert.ok((await opened.readAll()).equals(bytes));
        assert.ok((await opened.readAll({ start: 10, end: 19 })).equals(bytes.subarray(10, 20)));
        assert.equal((await opened.readAll({ start: 5, end: 4 })).length, 0);
      } finally {
        opened.close();
      }
      assert.equal(await store.getObject(bkt, 'dir/missing'), undefined);
      assert.equal(await store.openObject(bkt, 'dir/missing'), undefined);
      await rejectsWith(
        store.putObject('missing-1250000000', 'k', bodyOf(Buffer.from('x')), { headers }),
        'NoSuchBucket',
      );
    });

    test('PUT of an empty body (a "directory") and a chunked body of unknown length', async () => {
      const bkt = await bucket();
      const dir = await store.putObject(bkt, 'folder/', bodyOf(Buffer.alloc(0)), { headers });
      assert.equal(dir.size, 0);
      assert.equal(dir.etag, `"${md5hex(Buffer.alloc(0))}"`);
      assert.equal((await contentOf(store, bkt, 'folder/'))?.length, 0);
      const bytes = randomBytes(70_000);
      const chunked = await store.putObject(
        bkt,
        'chunked',
        bodyOf(bytes, { declaredLength: null, chunk: 999 }),
        {
          headers,
        },
      );
      assert.equal(chunked.size, bytes.length);
      assert.ok((await contentOf(store, bkt, 'chunked'))?.equals(bytes));
    });

    test('ingest checks: declared length over the limit is refused unread; short body, wrong MD5 store nothing', async () => {
      const bkt = await bucket();
      const old = Buffer.from('the old object');
      await store.putObject(bkt, 'k', bodyOf(old), { headers });
      const before = await b.footprint();
      await rejectsWith(
        store.putObject(bkt, 'k', unreadableBody(LIMITS.maxSinglePutSize + 1), { headers }),
        'EntityTooLarge',
      );
      await rejectsWith(
        store.appendObject(bkt, 'ap', 0, unreadableBody(LIMITS.maxAppendableObjectSize + 1), { headers }),
        'EntityTooLarge',
      );
      const bytes = randomBytes(5000);
      await rejectsWith(
        store.putObject(bkt, 'k', bodyOf(bytes, { declaredLength: 6000 }), { headers }),
        'IncompleteBody',
      );
      await rejectsWith(
        store.putObject(bkt, 'k', bodyOf(bytes, { md5: md5hex(old) }), { headers }),
        'BadDigest',
      );
      await rejectsWith(
        store.appendObject(bkt, 'ap', 0, bodyOf(bytes, { md5: md5hex(old) }), { headers }),
        'BadDigest',
      );
      const uploadId = await store.initiateUpload(bkt, 'mp', { headers });
      await rejectsWith(
        store.putPart(bkt, 'mp', uploadId, 1, unreadableBody(LIMITS.maxPartSize + 1)),
        'EntityTooLarge',
      );
      await rejectsWith(
        store.putPart(bkt, 'mp', uploadId, 1, bodyOf(bytes, { declaredLength: 1 })),
        'IncompleteBody',
      );
      assert.equal((await store.listParts(bkt, 'mp', uploadId, 0, 100)).parts.length, 0);
      assert.ok((await contentOf(store, bkt, 'k'))?.equals(old));
      assert.equal(await store.getObject(bkt, 'ap'), undefined);
      assert.equal(await b.footprint(), before);
    });

    test('a body that fails mid-stream stores nothing', async () => {
      const bkt = await bucket();
      const before = await b.footprint();
      const failing = {
        stream: (async function* () {
          yield randomBytes(1000);
          throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
        })(),
        declaredLength: 5000,
      };
      await assert.rejects(store.putObject(bkt, 'k', failing, { headers }), /aborted/);
      assert.equal(await store.getObject(bkt, 'k'), undefined);
      assert.equal(await b.footprint(), before);
    });

    test('overwrite replaces bytes and frees the old ones; an opened object keeps its bytes', async () => {
      const bkt = await bucket();
      const first = randomBytes(30_000);
      const second = randomBytes(20_000);
      const base = await b.footprint();
      await store.putObject(bkt, 'k', bodyOf(first), { headers });
      const opened = await store.openObject(bkt, 'k');
      assert.ok(opened);
      try {
        await store.putObject(bkt, 'k', bodyOf(second), { headers: { 'content-type': 'x/y' } });
        assert.ok((await readAll(opened.read())).equals(first), 'an opened object reads its own version');
        assert.equal(opened.info.size, first.length);
        await store.deleteObject(bkt, 'k');
        assert.ok((await readAll(opened.read({ start: 1, end: 100 }))).equals(first.subarray(1, 101)));
      } finally {
        opened.close();
      }
      assert.equal(await store.getObject(bkt, 'k'), undefined);
      await eventually(async () => assert.equal(await b.footprint(), base));
    });

    test('DELETE: a missing key succeeds; a missing bucket is NoSuchBucket', async () => {
      const bkt = await bucket();
      await store.deleteObject(bkt, 'never-there');
      await rejectsWith(store.deleteObject('missing-1250000000', 'k'), 'NoSuchBucket');
    });

    test('APPEND: creates an appendable object, grows it, CRC-64 of the whole, headers of the first', async () => {
      const bkt = await bucket();
      const a = randomBytes(5000);
      const c = randomBytes(7000);
      const first = await store.appendObject(bkt, 'log', 0, bodyOf(a), { headers });
      assert.equal(first.appendable, true);
      assert.equal(first.etag, `"${md5hex(a)}"`);
      const second = await store.appendObject(bkt, 'log', 5000, bodyOf(c), {
        headers: { 'content-type': 'x/y' },
      });
      assert.equal(second.size, 12_000);
      assert.equal(second.crc64, crcOf(Buffer.concat([a, c])));
      assert.notEqual(second.etag, first.etag);
      assert.deepEqual(second.headers, headers);
      assert.ok((await contentOf(store, bkt, 'log'))?.equals(Buffer.concat([a, c])));
      await rejectsWith(
        store.appendObject(bkt, 'log', 11_999, bodyOf(Buffer.from('x')), { headers }),
        'AppendPositionErr',
      );
      await store.putObject(bkt, 'plain', bodyOf(Buffer.from('x')), { headers });
      await rejectsWith(
        store.appendObject(bkt, 'plain', 1, bodyOf(Buffer.from('y')), { headers }),
        'ObjectNotAppendable',
      );
      await rejectsWith(
        store.appendObject('missing-1250000000', 'log', 0, bodyOf(Buffer.from('y')), { headers }),
        'NoSuchBucket',
      );
      // PUT over an appendable object makes it a normal one.
      await store.putObject(bkt, 'log', bodyOf(Buffer.from('whole')), { headers });
      assert.equal((await store.getObject(bkt, 'log'))?.appendable, false);
      await rejectsWith(
        store.appendObject(bkt, 'log', 5, bodyOf(Buffer.from('y')), { headers }),
        'ObjectNotAppendable',
      );
    });

    test('APPEND: of concurrent appends at one position exactly one wins; the losers store nothing', async () => {
      const bkt = await bucket();
      await store.appendObject(bkt, 'race', 0, bodyOf(Buffer.from('start')), { headers });
      const before = await b.footprint();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.appendObject(bkt, 'race', 5, bodyOf(Buffer.from(`writer-${i}`)), { headers }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results)
        if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'AppendPositionErr');
      assert.equal((await contentOf(store, bkt, 'race'))?.length, 13);
      await b.settle();
      assert.equal(await b.footprint(), before + 8);
    });

    test('APPEND: 120 appends read back whole and by ranges across pieces; deleting frees every byte', async () => {
      const bkt = await bucket();
      const base = await b.footprint();
      const pieces = Array.from({ length: 120 }, (_, i) => randomBytes(1 + ((i * 37) % 200)));
      let position = 0;
      for (const piece of pieces) {
        const info = await store.appendObject(bkt, 'many', position, bodyOf(piece), { headers });
        position += piece.length;
        assert.equal(info.size, position);
      }
      const whole = Buffer.concat(pieces);
      const info = await store.getObject(bkt, 'many');
      assert.equal(info?.crc64, crcOf(whole));
      await b.settle();
      assert.equal((await store.getObject(bkt, 'many'))?.etag, info?.etag, 'background work keeps the ETag');
      assert.ok((await contentOf(store, bkt, 'many'))?.equals(whole));
      const opened = await store.openObject(bkt, 'many');
      assert.ok(opened);
      try {
        for (const [start, end] of [
          [0, 0],
          [150, 5_000],
          [whole.length - 1, whole.length - 1],
          [17, whole.length - 2],
        ] as const) {
          assert.ok((await readAll(opened.read({ start, end }))).equals(whole.subarray(start, end + 1)));
          assert.ok((await opened.readAll({ start, end })).equals(whole.subarray(start, end + 1)), 'readAll');
        }
      } finally {
        opened.close();
      }
      await eventually(async () => assert.equal(await b.footprint(), base + whole.length));
      await store.deleteObject(bkt, 'many');
      await eventually(async () => assert.equal(await b.footprint(), base));
    });

    test('listing: UTF-8 byte order, prefix, delimiter roll-up, marker paging', async () => {
      const bkt = await bucket();
      // UTF-16 order would put U+1F600 (a surrogate pair) before U+E000; UTF-8 byte order is the reverse.
      const keys = ['a/1', 'a/2', 'a/b/3', 'b', 'c/x', 'c/y', '\u{E000}', '\u{1F600}', 'é'];
      for (const k of keys) await store.putObject(bkt, k, bodyOf(Buffer.from(k)), { headers });
      const all = await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 1000 });
      const byteOrder = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(
        all.contents.map((c) => c.key),
        byteOrder,
      );
      assert.equal(all.isTruncated, false);
      assert.equal(all.nextMarker, undefined);
      assert.equal(all.contents[0]?.info.size, 3);
      const rolled = await store.listObjects(bkt, { prefix: '', delimiter: '/', marker: '', maxKeys: 1000 });
      assert.deepEqual(rolled.commonPrefixes, ['a/', 'c/']);
      assert.deepEqual(
        rolled.contents.map((c) => c.key),
        ['b', 'é', '\u{E000}', '\u{1F600}'],
      );
      const inA = await store.listObjects(bkt, { prefix: 'a/', delimiter: '/', marker: '', maxKeys: 1000 });
      assert.deepEqual(
        inA.contents.map((c) => c.key),
        ['a/1', 'a/2'],
      );
      assert.deepEqual(inA.commonPrefixes, ['a/b/']);
      // Paging two at a time with a delimiter walks keys and prefixes once each.
      const seen: string[] = [];
      let marker = '';
      for (let page = 0; page < 10; page++) {
        const p = await store.listObjects(bkt, { prefix: '', delimiter: '/', marker, maxKeys: 2 });
        seen.push(...p.commonPrefixes, ...p.contents.map((c) => c.key));
        if (!p.isTruncated) break;
        assert.ok(p.nextMarker);
        marker = p.nextMarker;
      }
      assert.deepEqual(seen.sort(), ['a/', 'b', 'c/', 'é', '\u{E000}', '\u{1F600}'].sort());
      const none = await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 0 });
      assert.equal(none.contents.length, 0);
      assert.equal(none.isTruncated, true);
      // Another bucket's keys never appear.
      const other = await bucket();
      await store.putObject(other, 'a/1', bodyOf(Buffer.from('o')), { headers });
      assert.equal(
        (await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 1000 })).contents
          .length,
        keys.length,
      );
    });

    test('multipart: parts in any order, replace a part, list parts, Complete links them', async () => {
      const bkt = await bucket();
      const base = await b.footprint();
      const uploadId = await store.initiateUpload(bkt, 'big', { headers });
      assert.deepEqual((await store.getUpload(bkt, 'big', uploadId))?.headers, headers);
      assert.equal(await store.getUpload(bkt, 'other', uploadId), undefined);
      const p1 = randomBytes(MiB);
      const p2 = randomBytes(MiB);
      const p3 = randomBytes(1234);
      const i3 = await store.putPart(bkt, 'big', uploadId, 3, bodyOf(p3));
      await store.putPart(bkt, 'big', uploadId, 1, bodyOf(randomBytes(MiB)));
      const i1 = await store.putPart(bkt, 'big', uploadId, 1, bodyOf(p1, { md5: true }));
      const i2 = await store.putPart(bkt, 'big', uploadId, 2, bodyOf(p2));
      assert.equal(i1.etag, `"${md5hex(p1)}"`);
      assert.equal(i3.crc64, crcOf(p3));
      assert.equal(i2.size, MiB);
      const listed = await store.listParts(bkt, 'big', uploadId, 0, 2);
      assert.deepEqual(
        listed.parts.map((p) => [p.partNumber, p.etag]),
        [
          [1, i1.etag],
          [2, i2.etag],
        ],
      );
      assert.equal(listed.isTruncated, true);
      const rest = await store.listParts(bkt, 'big', uploadId, 2, 2);
      assert.deepEqual(
        rest.parts.map((p) => p.partNumber),
        [3],
      );
      assert.equal(rest.isTruncated, false);
      assert.equal(await b.footprint(), base + 2 * MiB + 1234, 'the replaced part is freed');

      const info = await store.completeUpload(bkt, 'big', uploadId, [
        { PartNumber: 1, ETag: i1.etag },
        { PartNumber: 2, ETag: i2.etag.replace(/"/g, '') },
        { PartNumber: 3, ETag: i3.etag },
      ]);
      const whole = Buffer.concat([p1, p2, p3]);
      const md5s = Buffer.concat([p1, p2, p3].map((p) => Buffer.from(md5hex(p), 'hex')));
      assert.equal(info.etag, `"${md5hex(md5s)}-3"`);
      const combined = crc64Combine(crc64Combine(crc64(p1), crc64(p2), p2.length), crc64(p3), p3.length);
      assert.equal(info.crc64, crc64ToDecimal(combined));
      // Initiate's headers, and the part sizes Complete keeps for part reads (store/object-parts.ts).
      assert.deepEqual(info.headers, { ...headers, 'x-coskit-parts': `${MiB},${MiB},1234` });
      assert.deepEqual(objectPartsOf(info.headers), [{ size: MiB }, { size: MiB }, { size: 1234 }]);
      assert.equal(await store.getUpload(bkt, 'big', uploadId), undefined);
      assert.ok((await contentOf(store, bkt, 'big'))?.equals(whole));
      const opened = await store.openObject(bkt, 'big');
      assert.ok(opened);
      try {
        const across = await readAll(opened.read({ start: MiB - 10, end: 2 * MiB + 9 }));
        assert.ok(across.equals(whole.subarray(MiB - 10, 2 * MiB + 10)));
      } finally {
        opened.close();
      }
      assert.equal(await b.footprint(), base + whole.length, 'Complete copies no byte');
      await rejectsWith(store.putPart(bkt, 'big', uploadId, 4, bodyOf(p3)), 'NoSuchUpload');
    });

    test('Complete refuses: no part, wrong order, gap, missing part, wrong ETag, small part, unknown upload', async () => {
      const bkt = await bucket();
      const uploadId = await store.initiateUpload(bkt, 'k', { headers });
      const small = await store.putPart(bkt, 'k', uploadId, 1, bodyOf(randomBytes(100)));
      const two = await store.putPart(bkt, 'k', uploadId, 2, bodyOf(randomBytes(100)));
      const complete = (parts: { PartNumber: number; ETag: string }[]) =>
        store.completeUpload(bkt, 'k', uploadId, parts);
      await rejectsWith(complete([]), 'MalformedXML');
      await rejectsWith(
        complete([
          { PartNumber: 2, ETag: two.etag },
          { PartNumber: 1, ETag: small.etag },
        ]),
        'InvalidPartOrder',
      );
      await rejectsWith(
        complete([
          { PartNumber: 1, ETag: small.etag },
          { PartNumber: 3, ETag: two.etag },
        ]),
        'InvalidPart',
      );
      await rejectsWith(complete([{ PartNumber: 5, ETag: two.etag }]), 'InvalidPart');
      await rejectsWith(complete([{ PartNumber: 1, ETag: two.etag }]), 'InvalidPart');
      await rejectsWith(
        complete([
          { PartNumber: 1, ETag: small.etag },
          { PartNumber: 2, ETag: two.etag },
        ]),
        'EntityTooSmall',
      );
      await rejectsWith(store.completeUpload(bkt, 'k', 'no-such-upload', []), 'NoSuchUpload');
      // Every refusal left the upload as it was.
      assert.equal((await store.listParts(bkt, 'k', uploadId, 0, 10)).parts.length, 2);
      assert.equal(await store.getObject(bkt, 'k'), undefined);
      // A single small part is a valid object; Complete frees the unlisted part.
      const base = await b.footprint();
      const done = await complete([{ PartNumber: 1, ETag: small.etag }]);
      assert.equal(done.size, 100);
      assert.equal(await b.footprint(), base - 100);
    });

    test('Abort frees the parts; later parts, lists and Complete get NoSuchUpload; a part racing Abort stores nothing', async () => {
      const bkt = await bucket();
      const base = await b.footprint();
      const uploadId = await store.initiateUpload(bkt, 'k', { headers });
      await store.putPart(bkt, 'k', uploadId, 1, bodyOf(randomBytes(1000)));
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const racing = store.putPart(bkt, 'k', uploadId, 2, {
        stream: (async function* () {
          yield randomBytes(500);
          await gate;
          yield randomBytes(500);
        })(),
        declaredLength: 1000,
      });
      await store.abortUpload(bkt, 'k', uploadId);
      release();
      await rejectsWith(racing, 'NoSuchUpload');
      assert.equal(await store.getUpload(bkt, 'k', uploadId), undefined);
      await rejectsWith(store.abortUpload(bkt, 'k', uploadId), 'NoSuchUpload');
      await rejectsWith(store.putPart(bkt, 'k', uploadId, 1, bodyOf(randomBytes(10))), 'NoSuchUpload');
      await rejectsWith(
        store.completeUpload(bkt, 'k', uploadId, [{ PartNumber: 1, ETag: '"x"' }]),
        'NoSuchUpload',
      );
      assert.equal((await store.listParts(bkt, 'k', uploadId, 0, 10)).parts.length, 0);
      assert.equal(await b.footprint(), base);
      await rejectsWith(store.initiateUpload('missing-1250000000', 'k', { headers }), 'NoSuchBucket');
    });

    test('Upload Part - Copy: a range of an opened object becomes a part, even if the source changes', async () => {
      const bkt = await bucket();
      const source = randomBytes(300_000);
      await store.putObject(bkt, 'src', bodyOf(source), { headers });
      const uploadId = await store.initiateUpload(bkt, 'dst', { headers });
      const opened = await store.openObject(bkt, 'src');
      assert.ok(opened);
      let whole: Awaited<ReturnType<Store['copyPart']>>;
      let range: Awaited<ReturnType<Store['copyPart']>>;
      try {
        await store.deleteObject(bkt, 'src');
        whole = await store.copyPart(bkt, 'dst', uploadId, 1, opened, { start: 0, end: source.length - 1 });
        range = await store.copyPart(bkt, 'dst', uploadId, 2, opened, { start: 100, end: 199 });
      } finally {
        opened.close();
      }
      assert.equal(whole.etag, `"${md5hex(source)}"`);
      assert.equal(range.etag, `"${md5hex(source.subarray(100, 200))}"`);
      assert.equal(range.crc64, crcOf(source.subarray(100, 200)));
      await store.putObject(bkt, 'empty', bodyOf(Buffer.alloc(0)), { headers });
      const empty = await store.openObject(bkt, 'empty');
      assert.ok(empty);
      try {
        const part = await store.copyPart(bkt, 'dst', uploadId, 3, empty, { start: 0, end: -1 });
        assert.equal(part.size, 0);
      } finally {
        empty.close();
      }
      await store.abortUpload(bkt, 'dst', uploadId);
      const gone = await store.openObject(bkt, 'empty');
      assert.ok(gone);
      try {
        await rejectsWith(
          store.copyPart(bkt, 'dst', uploadId, 1, gone, { start: 0, end: -1 }),
          'NoSuchUpload',
        );
      } finally {
        gone.close();
      }
    });

    test('List Multipart Uploads: by key then upload id, prefix, delimiter, paging with both markers', async () => {
      const bkt = await bucket();
      const ids: Record<string, string[]> = {};
      for (const key of ['b/1', 'a', 'a', 'b/2', 'c']) {
        const id = await store.initiateUpload(bkt, key, {
          headers: { 'x-cos-storage-class': 'STANDARD_IA' },
        });
        ids[key] = [...(ids[key] ?? []), id];
      }
      ids['a']!.sort();
      const all = await store.listUploads(bkt, {
        prefix: '',
        delimiter: '',
        keyMarker: '',
        uploadIdMarker: '',
        maxUploads: 1000,
      });
      assert.deepEqual(
        all.uploads.map((u) => [u.key, u.uploadId]),
        [
          ['a', ids['a']![0]],
          ['a', ids['a']![1]],
          ['b/1', ids['b/1']![0]],
          ['b/2', ids['b/2']![0]],
          ['c', ids['c']![0]],
        ],
      );
      assert.equal(all.uploads[0]?.info.headers['x-cos-storage-class'], 'STANDARD_IA');
      const rolled = await store.listUploads(bkt, {
        prefix: '',
        delimiter: '/',
        keyMarker: '',
        uploadIdMarker: '',
        maxUploads: 1000,
      });
      assert.deepEqual(rolled.commonPrefixes, ['b/']);
      assert.deepEqual(
        rolled.uploads.map((u) => u.key),
        ['a', 'a', 'c'],
      );
      const first = await store.listUploads(bkt, {
        prefix: '',
        delimiter: '',
        keyMarker: '',
        uploadIdMarker: '',
        maxUploads: 1,
      });
      assert.equal(first.isTruncated, true);
      assert.equal(first.nextKeyMarker, 'a');
      assert.equal(first.nextUploadIdMarker, ids['a']![0]);
      const second = await store.listUploads(bkt, {
        prefix: '',
        delimiter: '',
        keyMarker: 'a',
        uploadIdMarker: ids['a']![0]!,
        maxUploads: 1,
      });
      assert.deepEqual(
        second.uploads.map((u) => u.uploadId),
        [ids['a']![1]],
      );
      const pastA = await store.listUploads(bkt, {
        prefix: 'b/',
        delimiter: '',
        keyMarker: 'a',
        uploadIdMarker: '',
        maxUploads: 1000,
      });
      assert.deepEqual(
        pastA.uploads.map((u) => u.key),
        ['b/1', 'b/2'],
      );
      assert.equal(pastA.isTruncated, false);
      assert.equal(pastA.nextKeyMarker, undefined);
    });

    test('an upload id is for its own key only', async () => {
      const bkt = await bucket();
      const uploadId = await store.initiateUpload(bkt, 'k', { headers });
      await rejectsWith(store.putPart(bkt, 'other', uploadId, 1, bodyOf(Buffer.from('x'))), 'NoSuchUpload');
      await rejectsWith(store.abortUpload(bkt, 'other', uploadId), 'NoSuchUpload');
      await store.abortUpload(bkt, 'k', uploadId);
    });

    test('copyObject shares the bytes: no byte added, freed only with the last holder; check runs on the source', async () => {
      const bkt = await bucket();
      const other = await bucket();
      const body = randomBytes(30_000);
      const put = await store.putObject(bkt, 'src', bodyOf(body), { headers });
      await b.settle();
      const before = await b.footprint();
      const copy = await store.copyObject(
        { bucket: bkt, key: 'src' },
        { bucket: other, key: 'dst' },
        { headersFor: (source) => ({ ...source.headers, 'x-cos-meta-copied': 'yes' }) },
      );
      assert.equal(copy.etag, put.etag);
      assert.equal(copy.crc64, put.crc64);
      assert.equal(copy.appendable, false);
      assert.equal(copy.headers['x-cos-meta-copied'], 'yes');
      assert.equal(await b.footprint(), before, 'a copy stores no byte');
      assert.ok((await contentOf(store, other, 'dst'))?.equals(body));
      // Onto itself: counts net to nothing; then both holders go, the last one frees the bytes.
      await store.copyObject(
        { bucket: other, key: 'dst' },
        { bucket: other, key: 'dst' },
        { headersFor: (s) => s.headers },
      );
      await store.deleteObject(bkt, 'src');
      assert.ok(
        (await contentOf(store, other, 'dst'))?.equals(body),
        'the copy lost its bytes with the source',
      );
      await store.deleteObjects(other, [{ key: 'dst' }]);
      await b.settle();
      await eventually(async () => assert.equal(await b.footprint(), before - body.length));
      // Refusals: the check throws inside the commit, a missing source or bucket, no-overwrite.
      await store.putObject(bkt, 'a', bodyOf(Buffer.from('a')), { headers });
      await store.putObject(bkt, 'b', bodyOf(Buffer.from('b')), { headers });
      let seen: string | undefined;
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'a' },
          { bucket: bkt, key: 'c' },
          {
            headersFor: (s) => s.headers,
            check: (source) => {
              seen = source.etag;
              throw new StoreError('PreconditionFailed');
            },
          },
        ),
        'PreconditionFailed',
      );
      assert.equal(seen, `"${md5hex(Buffer.from('a'))}"`);
      assert.equal(await store.getObject(bkt, 'c'), undefined);
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'none' },
          { bucket: bkt, key: 'c' },
          { headersFor: (s) => s.headers },
        ),
        'NoSuchCopySource',
      );
      await rejectsWith(
        store.copyObject(
          { bucket: 'gone-1250000000', key: 'a' },
          { bucket: bkt, key: 'c' },
          { headersFor: (s) => s.headers },
        ),
        'NoSuchBucket',
      );
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'a' },
          { bucket: bkt, key: 'b' },
          { headersFor: (s) => s.headers, forbidOverwrite: true },
        ),
        'FileAlreadyExists',
      );
      assert.ok((await contentOf(store, bkt, 'b'))?.equals(Buffer.from('b')));
    });

    test('a copy refused inside its commit shares nothing: deleting the source then frees its bytes', async () => {
      const bkt = await bucket();
      const base = await b.footprint();
      await store.putObject(bkt, 'src', bodyOf(randomBytes(700)), { headers });
      await store.putObject(bkt, 'taken', bodyOf(randomBytes(300)), { headers });
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'src' },
          { bucket: bkt, key: 'taken' },
          { headersFor: (s) => s.headers, forbidOverwrite: true },
        ),
        'FileAlreadyExists',
      );
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'src' },
          { bucket: bkt, key: 'other' },
          {
            headersFor: (s) => s.headers,
            targetCheck: () => {
              throw new StoreError('PreconditionFailed');
            },
          },
        ),
        'PreconditionFailed',
      );
      await store.deleteObject(bkt, 'src');
      await b.settle();
      assert.equal(
        await b.footprint(),
        base + 300,
        'the source is freed: the refused copies hold none of it',
      );
      await store.deleteObject(bkt, 'taken');
      await b.settle();
      assert.equal(await b.footprint(), base);
    });

    test('deleteObjects removes every key at once (missing ones too); updateObjectHeaders keeps bytes, ETag and time', async () => {
      const bkt = await bucket();
      for (const k of ['x', 'y', 'z']) await store.putObject(bkt, k, bodyOf(Buffer.from(k)), { headers });
      await store.deleteObjects(bkt, [{ key: 'x' }, { key: 'y' }, { key: 'missing' }]);
      assert.deepEqual(
        (await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 10 })).contents.map(
          (c) => c.key,
        ),
        ['z'],
      );
      await rejectsWith(store.deleteObjects('gone-1250000000', [{ key: 'z' }]), 'NoSuchBucket');
      const before = (await store.getObject(bkt, 'z'))!;
      const after = await store.updateObjectHeaders(bkt, 'z', (current) => ({
        ...current.headers,
        'x-cos-tagging': 'a=1',
      }));
      assert.equal(after.headers['x-cos-tagging'], 'a=1');
      assert.deepEqual(
        [after.etag, after.lastModified, after.size],
        [before.etag, before.lastModified, before.size],
      );
      assert.equal((await store.getObject(bkt, 'z'))?.headers['x-cos-tagging'], 'a=1');
      assert.ok((await contentOf(store, bkt, 'z'))?.equals(Buffer.from('z')));
      await rejectsWith(
        store.updateObjectHeaders(bkt, 'missing', (c) => c.headers),
        'NoSuchKey',
      );
    });

    test('forbidOverwrite: PUT and Complete refuse an existing key (Initiate keeps it for Complete)', async () => {
      const bkt = await bucket();
      await store.putObject(bkt, 'k', bodyOf(Buffer.from('first')), { headers, forbidOverwrite: true });
      await rejectsWith(
        store.putObject(bkt, 'k', bodyOf(Buffer.from('second')), { headers, forbidOverwrite: true }),
        'FileAlreadyExists',
      );
      assert.ok((await contentOf(store, bkt, 'k'))?.equals(Buffer.from('first')));
      const uploadId = await store.initiateUpload(bkt, 'k', { headers, forbidOverwrite: true });
      const part = await store.putPart(bkt, 'k', uploadId, 1, bodyOf(Buffer.from('mp')));
      await rejectsWith(
        store.completeUpload(bkt, 'k', uploadId, [{ PartNumber: 1, ETag: part.etag }]),
        'FileAlreadyExists',
      );
      assert.ok(await store.getUpload(bkt, 'k', uploadId), 'the refused upload remains');
      const plain = await store.initiateUpload(bkt, 'k', { headers });
      const part2 = await store.putPart(bkt, 'k', plain, 1, bodyOf(Buffer.from('mp2')));
      await rejectsWith(
        store.completeUpload(bkt, 'k', plain, [{ PartNumber: 1, ETag: part2.etag }], {
          forbidOverwrite: true,
        }),
        'FileAlreadyExists',
      );
      await store.completeUpload(bkt, 'k', plain, [{ PartNumber: 1, ETag: part2.etag }]);
      assert.ok((await contentOf(store, bkt, 'k'))?.equals(Buffer.from('mp2')));
    });

    test('encryption: SSE-COS and SSE-C read back whole and by ranges; the key rules; parts; copies share or re-encrypt', async () => {
      const bkt = await bucket();
      const key = randomBytes(32);
      const other = randomBytes(32);
      const body = randomBytes(300_000);
      const cos = await store.putObject(bkt, 'cos', bodyOf(body, { md5: true }), {
        headers,
        encryption: { type: 'SSE-COS' },
      });
      assert.equal(cos.etag, `"${md5hex(body)}"`, 'the ETag is the plaintext MD5');
      assert.equal(cos.crc64, crcOf(body));
      assert.equal(cos.encryption?.type, 'SSE-COS');
      const c = await store.putObject(bkt, 'c', bodyOf(body), {
        headers,
        encryption: { type: 'SSE-C', key },
      });
      assert.equal(c.encryption?.type, 'SSE-C');
      assert.ok(!JSON.stringify(c.encryption).includes(key.toString('hex')), 'the key is not kept');
      assert.ok((await contentOf(store, bkt, 'cos'))?.equals(body));
      const opened = await store.openObject(bkt, 'c', { customerKey: key });
      try {
        for (const [start, end] of [
          [0, 299_999],
          [7, 7],
          [15, 33],
          [100_001, 299_998],
        ] as const) {
          assert.ok((await readAll(opened!.read({ start, end }))).equals(body.subarray(start, end + 1)));
          assert.ok((await opened!.readAll({ start, end })).equals(body.subarray(start, end + 1)), 'readAll');
        }
      } finally {
        opened?.close();
      }
      await rejectsWith(store.openObject(bkt, 'c'), 'InvalidRequest');
      await rejectsWith(store.openObject(bkt, 'c', { customerKey: other }), 'AccessDenied');
      await rejectsWith(store.openObject(bkt, 'cos', { customerKey: key }), 'InvalidRequest');
      await rejectsWith(
        store.appendObject(bkt, 'a', 0, bodyOf(body), { headers, encryption: { type: 'SSE-COS' } }),
        'InvalidArgument',
      );

      const upload = await store.initiateUpload(bkt, 'mp', { headers, encryption: { type: 'SSE-C', key } });
      assert.equal((await store.getUpload(bkt, 'mp', upload))?.encryption?.type, 'SSE-C');
      const parts = [randomBytes(MiB), randomBytes(10)];
      await rejectsWith(store.putPart(bkt, 'mp', upload, 1, bodyOf(parts[0]!)), 'InvalidRequest');
      await rejectsWith(
        store.putPart(bkt, 'mp', upload, 1, bodyOf(parts[0]!), { customerKey: other }),
        'AccessDenied',
      );
      const etags: string[] = [];
      for (const [i, p] of parts.entries())
        etags.push((await store.putPart(bkt, 'mp', upload, i + 1, bodyOf(p), { customerKey: key })).etag);
      const done = await store.completeUpload(
        bkt,
        'mp',
        upload,
        etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
      );
      assert.equal(done.encryption?.type, 'SSE-C');
      const whole = await store.openObject(bkt, 'mp', { customerKey: key });
      try {
        assert.ok(
          (await readAll(whole!.read({ start: MiB - 5, end: MiB + 9 }))).equals(
            Buffer.concat(parts).subarray(MiB - 5),
          ),
        );
      } finally {
        whole?.close();
      }

      await b.settle();
      let footprint = await b.footprint();
      const copy = (from: string, to: string, opts: Partial<Parameters<Store['copyObject']>[2]>) =>
        store.copyObject(
          { bucket: bkt, key: from },
          { bucket: bkt, key: to },
          { headersFor: (s) => s.headers, ...opts },
        );
      await copy('cos', 'cos2', { encryption: { type: 'SSE-COS' } });
      await copy('c', 'c2', { encryption: { type: 'SSE-C', key }, sourceCustomerKey: key });
      assert.equal(await b.footprint(), footprint, 'same encryption shares');
      await rejectsWith(copy('c', 'x', {}), 'InvalidRequest');
      await rejectsWith(copy('c', 'x', { sourceCustomerKey: other }), 'AccessDenied');
      const plain = await copy('c', 'plain', { sourceCustomerKey: key });
      assert.equal(plain.encryption, undefined);
      assert.equal(plain.etag, c.etag);
      assert.equal(await b.footprint(), footprint + body.length, 'a change of encryption copies the bytes');
      footprint += body.length;
      await copy('cos', 'rekeyed', { encryption: { type: 'SSE-C', key: other } });
      assert.equal(await b.footprint(), footprint + body.length);
      assert.ok((await contentOf(store, bkt, 'plain'))?.equals(body));
      const rekeyed = await store.openObject(bkt, 'rekeyed', { customerKey: other });
      try {
        assert.ok((await readAll(rekeyed!.read())).equals(body));
      } finally {
        rekeyed?.close();
      }
      await store.deleteObject(bkt, 'c');
      const c2 = await store.openObject(bkt, 'c2', { customerKey: key });
      try {
        assert.ok((await readAll(c2!.read())).equals(body), 'a sharing copy keeps its bytes');
      } finally {
        c2?.close();
      }
    });

    test('targetCheck: PUT, Complete and Copy run it in the commit with the object they would replace', async () => {
      const bkt = await bucket();
      const seen: (string | undefined)[] = [];
      const refuse = (current: ObjectInfo | undefined) => {
        seen.push(current?.etag);
        throw new StoreError('PreconditionFailed');
      };
      await rejectsWith(
        store.putObject(bkt, 'k', bodyOf(Buffer.from('a')), { headers, targetCheck: refuse }),
        'PreconditionFailed',
      );
      assert.equal(await store.getObject(bkt, 'k'), undefined, 'a refused PUT stores nothing');
      const first = await store.putObject(bkt, 'k', bodyOf(Buffer.from('first')), {
        headers,
        targetCheck: (c) => seen.push(c?.etag),
      });
      await rejectsWith(
        store.putObject(bkt, 'k', bodyOf(Buffer.from('second')), { headers, targetCheck: refuse }),
        'PreconditionFailed',
      );
      const uploadId = await store.initiateUpload(bkt, 'k', { headers });
      const part = await store.putPart(bkt, 'k', uploadId, 1, bodyOf(Buffer.from('mp')));
      await rejectsWith(
        store.completeUpload(bkt, 'k', uploadId, [{ PartNumber: 1, ETag: part.etag }], {
          targetCheck: refuse,
        }),
        'PreconditionFailed',
      );
      assert.ok(await store.getUpload(bkt, 'k', uploadId), 'the refused upload remains');
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'k' },
          { bucket: bkt, key: 'k2' },
          { headersFor: (x) => x.headers, targetCheck: refuse },
        ),
        'PreconditionFailed',
      );
      assert.equal(await store.getObject(bkt, 'k2'), undefined);
      // A copy that changes the encryption writes a new blob first: the check still decides.
      await rejectsWith(
        store.copyObject(
          { bucket: bkt, key: 'k' },
          { bucket: bkt, key: 'k3' },
          { headersFor: (x) => x.headers, encryption: { type: 'SSE-COS' }, targetCheck: refuse },
        ),
        'PreconditionFailed',
      );
      assert.equal(
        await store.getObject(bkt, 'k3'),
        undefined,
        'a refused re-encrypting copy stores nothing',
      );
      assert.deepEqual(seen, [undefined, undefined, first.etag, first.etag, undefined, undefined]);
      assert.ok((await contentOf(store, bkt, 'k'))?.equals(Buffer.from('first')));
    });
  });
}
