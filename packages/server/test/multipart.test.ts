import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

const MiB = 1024 * 1024;
const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('multipart upload through the official SDK', () => {
  let h: Harness;
  const Bucket = bucketName();
  const base = () => ({ Bucket, Region: REGION });
  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', base())).err, null);
  });
  after(() => h.close());

  async function initiate(Key: string, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await call(h.cos, 'multipartInit', { ...base(), Key, ...extra });
    assert.equal(r.err, null);
    assert.match(r.data.UploadId, /^\d{10}[0-9a-f]{32}$/);
    return r.data.UploadId;
  }
  async function part(Key: string, UploadId: string, PartNumber: number, Body: Buffer) {
    const r = await call(h.cos, 'multipartUpload', { ...base(), Key, UploadId, PartNumber, Body });
    assert.equal(r.err, null, String(r.err?.code));
    return r.data;
  }

  test('initiate → parts out of order → complete: bytes, metadata, ETag "-N" and combined CRC-64', async () => {
    const Key = 'big/object.bin';
    const UploadId = await initiate(Key, {
      ContentType: 'application/x-test',
      'x-cos-meta-author': 'alice',
      StorageClass: 'STANDARD_IA',
    });
    const parts = [randomBytes(MiB), randomBytes(MiB + 17), randomBytes(1234)];
    const results = await Promise.all([
      part(Key, UploadId, 3, parts[2]!),
      part(Key, UploadId, 1, parts[0]!),
      part(Key, UploadId, 2, parts[1]!),
    ]);
    assert.equal(results[1].ETag, `"${md5hex(parts[0]!)}"`);
    assert.equal(results[1].headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(parts[0]!)));
    // A re-upload of a part replaces it.
    await part(Key, UploadId, 2, parts[1]!);
    const complete = await call(h.cos, 'multipartComplete', {
      ...base(),
      Key,
      UploadId,
      Parts: parts.map((p, i) => ({ PartNumber: i + 1, ETag: `"${md5hex(p)}"` })),
    });
    assert.equal(complete.err, null);
    const whole = Buffer.concat(parts);
    const expectedEtag = createHash('md5')
      .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
      .digest('hex');
    assert.equal(complete.data.ETag, `"${expectedEtag}-3"`);
    assert.equal(complete.data.Key, Key);
    assert.equal(complete.data.Bucket, Bucket);
    assert.equal(complete.data.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(whole)));
    const get = await call(h.cos, 'getObject', { ...base(), Key });
    assert.ok(Buffer.compare(get.data.Body, whole) === 0);
    assert.equal(get.data.headers['content-type'], 'application/x-test');
    assert.equal(get.data.headers['x-cos-meta-author'], 'alice');
    assert.equal(get.data.headers['x-cos-storage-class'], 'STANDARD_IA');
    // A range across a part boundary reads from two blobs.
    const cross = await call(h.cos, 'getObject', { ...base(), Key, Range: `bytes=${MiB - 5}-${MiB + 4}` });
    assert.deepEqual(cross.data.Body, whole.subarray(MiB - 5, MiB + 5));
    const listed = await call(h.cos, 'multipartList', { ...base(), Prefix: Key });
    assert.equal(listed.data.Upload.length, 0);
  });

  test('Complete refuses: wrong order, missing part, wrong ETag, small non-last part, unknown upload', async () => {
    const Key = 'refusals.bin';
    const UploadId = await initiate(Key);
    const p1 = randomBytes(MiB);
    const p2 = randomBytes(100);
    const p3 = randomBytes(100);
    await part(Key, UploadId, 1, p1);
    await part(Key, UploadId, 2, p2);
    await part(Key, UploadId, 3, p3);
    const e = (PartNumber: number, b: Buffer) => ({ PartNumber, ETag: `"${md5hex(b)}"` });
    const cases: [unknown[], string, number][] = [
      [[e(2, p2), e(1, p1)], 'InvalidPartOrder', 400],
      [[e(1, p1), e(4, p2)], 'InvalidPart', 400],
      [[e(1, p1), { PartNumber: 2, ETag: '"00000000000000000000000000000000"' }], 'InvalidPart', 400],
      [[e(1, p1), e(2, p2), e(3, p3)], 'EntityTooSmall', 400],
    ];
    for (const [Parts, code, status] of cases) {
      const r = await call(h.cos, 'multipartComplete', { ...base(), Key, UploadId, Parts });
      assert.equal(r.err?.code, code, JSON.stringify(Parts));
      assert.equal(r.err.statusCode, status);
    }
    const unknown = await call(h.cos, 'multipartComplete', {
      ...base(),
      Key,
      UploadId: `${UploadId}0`,
      Parts: [e(1, p1)],
    });
    assert.equal(unknown.err.code, 'NoSuchUpload');
    assert.equal(unknown.err.statusCode, 404);
    // The upload survived every refusal: complete with a valid list.
    const ok = await call(h.cos, 'multipartComplete', {
      ...base(),
      Key,
      UploadId,
      Parts: [e(1, p1), e(2, p2)],
    });
    assert.equal(ok.err, null);
    const head = await call(h.cos, 'headObject', { ...base(), Key });
    assert.equal(head.data.headers['content-length'], String(MiB + 100));
  });

  test('List Parts pages with max-parts and part-number-marker to the end', async () => {
    const Key = 'paged.bin';
    const UploadId = await initiate(Key);
    for (let n = 1; n <= 5; n++) await part(Key, UploadId, n, Buffer.from(`part ${n}`));
    const seen: number[] = [];
    let marker = 0;
    for (let page = 0; page < 10; page++) {
      const r = await call(h.cos, 'multipartListPart', {
        ...base(),
        Key,
        UploadId,
        MaxParts: 2,
        PartNumberMarker: marker,
      });
      assert.equal(r.err, null);
      for (const p of r.data.Part) {
        seen.push(Number(p.PartNumber));
        assert.equal(p.ETag, `"${md5hex(Buffer.from(`part ${p.PartNumber}`))}"`);
        assert.equal(p.Size, String(Buffer.byteLength(`part ${p.PartNumber}`)));
      }
      if (r.data.IsTruncated !== 'true') break;
      marker = Number(r.data.NextPartNumberMarker);
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  });

  test('Abort answers 204, removes the parts, and a later part upload gets NoSuchUpload', async () => {
    const Key = 'aborted.bin';
    const UploadId = await initiate(Key);
    await part(Key, UploadId, 1, randomBytes(1000));
    const abort = await call(h.cos, 'multipartAbort', { ...base(), Key, UploadId });
    assert.equal(abort.err, null);
    assert.equal(abort.data.statusCode, 204);
    const late = await call(h.cos, 'multipartUpload', {
      ...base(),
      Key,
      UploadId,
      PartNumber: 2,
      Body: Buffer.from('x'),
    });
    assert.equal(late.err.code, 'NoSuchUpload');
    const list = await call(h.cos, 'multipartListPart', { ...base(), Key, UploadId });
    assert.equal(list.err.code, 'NoSuchUpload');
    const again = await call(h.cos, 'multipartAbort', { ...base(), Key, UploadId });
    assert.equal(again.err.statusCode, 404);
  });

  test('part numbers 0, 10001 and non-numeric are refused', async () => {
    const Key = 'numbers.bin';
    const UploadId = await initiate(Key);
    for (const PartNumber of [0, 10001, 'abc']) {
      const r = await call(h.cos, 'multipartUpload', {
        ...base(),
        Key,
        UploadId,
        PartNumber,
        Body: Buffer.from('x'),
      });
      assert.equal(r.err?.statusCode, 400, String(PartNumber));
      assert.equal(r.err.code, 'InvalidArgument');
    }
  });

  test('List Multipart Uploads: ordering by key then upload id, prefix, delimiter, paging', async () => {
    const keys = ['lmu/b', 'lmu/a', 'lmu/a', 'lmu/dir/x', 'lmu/dir/y', 'other'];
    const ids: Record<string, string[]> = {};
    for (const k of keys) {
      ids[k] ??= [];
      ids[k].push(await initiate(k));
    }
    const all = await call(h.cos, 'multipartList', { ...base(), Prefix: 'lmu/' });
    assert.equal(all.err, null);
    const listed = all.data.Upload.map((u: { Key: string; UploadId: string }) => `${u.Key}|${u.UploadId}`);
    const expected = ['lmu/a', 'lmu/b', 'lmu/dir/x', 'lmu/dir/y'].flatMap((k) =>
      [...ids[k]!].sort().map((id) => `${k}|${id}`),
    );
    assert.deepEqual(listed, expected);
    const grouped = await call(h.cos, 'multipartList', { ...base(), Prefix: 'lmu/', Delimiter: '/' });
    // The Node SDK leaves a single CommonPrefixes element as an object, not an array.
    const prefixes: { Prefix: string }[] = [grouped.data.CommonPrefixes ?? []].flat();
    assert.deepEqual(
      prefixes.map((p) => p.Prefix),
      ['lmu/dir/'],
    );
    assert.equal(grouped.data.Upload.length, 3);
    const pages: string[] = [];
    let KeyMarker = '';
    let UploadIdMarker = '';
    for (let i = 0; i < 10; i++) {
      const r = await call(h.cos, 'multipartList', {
        ...base(),
        Prefix: 'lmu/',
        MaxUploads: 2,
        KeyMarker,
        UploadIdMarker,
      });
      pages.push(...r.data.Upload.map((u: { Key: string; UploadId: string }) => `${u.Key}|${u.UploadId}`));
      if (r.data.IsTruncated !== 'true') break;
      KeyMarker = r.data.NextKeyMarker;
      UploadIdMarker = r.data.NextUploadIdMarker;
    }
    assert.deepEqual(pages, expected);
  });

  test('Upload Part - Copy: whole source, a range, conditions → 412, missing source', async () => {
    const src = randomBytes(3 * MiB);
    await call(h.cos, 'putObject', { ...base(), Key: 'copy/source.bin', Body: src });
    const Key = 'copy/target.bin';
    const UploadId = await initiate(Key);
    const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
    const whole = await call(h.cos, 'uploadPartCopy', {
      ...base(),
      Key,
      UploadId,
      PartNumber: 1,
      CopySource: `${host}/copy/source.bin`,
    });
    assert.equal(whole.err, null);
    assert.equal(whole.data.ETag, `"${md5hex(src)}"`);
    const ranged = await call(h.cos, 'uploadPartCopy', {
      ...base(),
      Key,
      UploadId,
      PartNumber: 2,
      CopySource: `${host}/copy/source.bin`,
      CopySourceRange: 'bytes=10-1048585',
    });
    assert.equal(ranged.err, null);
    assert.equal(ranged.data.ETag, `"${md5hex(src.subarray(10, 1048586))}"`);
    const cond = await call(h.cos, 'uploadPartCopy', {
      ...base(),
      Key,
      UploadId,
      PartNumber: 3,
      CopySource: `${host}/copy/source.bin`,
      CopySourceIfMatch: '"ffffffffffffffffffffffffffffffff"',
    });
    assert.equal(cond.err?.statusCode, 412);
    const missing = await call(h.cos, 'uploadPartCopy', {
      ...base(),
      Key,
      UploadId,
      PartNumber: 3,
      CopySource: `${host}/copy/nope.bin`,
    });
    assert.equal(missing.err?.statusCode, 404);
    const complete = await call(h.cos, 'multipartComplete', {
      ...base(),
      Key,
      UploadId,
      Parts: [
        { PartNumber: 1, ETag: whole.data.ETag },
        { PartNumber: 2, ETag: ranged.data.ETag },
      ],
    });
    assert.equal(complete.err, null);
    const get = await call(h.cos, 'getObject', { ...base(), Key });
    assert.ok(Buffer.compare(get.data.Body, Buffer.concat([src, src.subarray(10, 1048586)])) === 0);
  });

  test('a GET in progress keeps reading the old bytes when the object is overwritten meanwhile', async () => {
    const Key = 'read-while-overwrite.bin';
    const UploadId = await initiate(Key);
    const parts = [randomBytes(8 * MiB), randomBytes(8 * MiB)];
    for (const [i, p] of parts.entries()) await part(Key, UploadId, i + 1, p);
    const done = await call(h.cos, 'multipartComplete', {
      ...base(),
      Key,
      UploadId,
      Parts: parts.map((p, i) => ({ PartNumber: i + 1, ETag: `"${md5hex(p)}"` })),
    });
    assert.equal(done.err, null);
    const url: string = await new Promise((resolve, reject) =>
      h.cos.getObjectUrl({ ...base(), Key, Sign: true }, (err: unknown, data: { Url: string }) =>
        err ? reject(err) : resolve(data.Url),
      ),
    );
    const u = new URL(url);
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = request(
        // Paced at 100 MB/s so the second part's blob is not yet open when the overwrite lands.
        {
          host: '127.0.0.1',
          port: h.server.port,
          path: u.pathname + u.search,
          headers: { host: u.host, 'x-cos-traffic-limit': '838860800' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.once('data', async (first: Buffer) => {
            chunks.push(first);
            res.pause();
            // Overwrite and delete while the response is paused, then let it continue.
            await call(h.cos, 'putObject', { ...base(), Key, Body: 'new content' });
            await call(h.cos, 'deleteObject', { ...base(), Key });
            res.on('data', (c: Buffer) => chunks.push(c));
            res.resume();
          });
          res.on('end', () => resolve(Buffer.concat(chunks)));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.ok(body.equals(Buffer.concat(parts)), `read ${body.length} bytes`);
  });
});
