import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

describe('buckets and List Objects', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('PUT/HEAD/DELETE Bucket with COS errors for names, duplicates and non-empty buckets', async () => {
    const Bucket = bucketName();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    const dup = await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    assert.equal(dup.err.statusCode, 409);
    assert.equal(dup.err.code, 'BucketAlreadyOwnedByYou');
    const head = await call(h.cos, 'headBucket', { Bucket, Region: REGION });
    assert.equal(head.err, null);
    assert.equal(head.data.headers['x-cos-bucket-region'], REGION);
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'x', Body: 'x' });
    const notEmpty = await call(h.cos, 'deleteBucket', { Bucket, Region: REGION });
    assert.equal(notEmpty.err.statusCode, 409);
    assert.equal(notEmpty.err.code, 'BucketNotEmpty');
    await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'x' });
    const del = await call(h.cos, 'deleteBucket', { Bucket, Region: REGION });
    assert.equal(del.err, null);
    const missing = await call(h.cos, 'headBucket', { Bucket, Region: REGION });
    assert.equal(missing.err.statusCode, 404);
    const get = await call(h.cos, 'getBucket', { Bucket, Region: REGION });
    assert.equal(get.err.code, 'NoSuchBucket');
    const bad = await rawRequest({ port: h.server.port, method: 'PUT', bucket: 'Bad_Name-125' });
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), 'InvalidBucketName');
  });

  test('GET Service lists every bucket', async () => {
    const names = [bucketName(), bucketName()];
    for (const Bucket of names)
      assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    const r = await call(h.cos, 'getService', {});
    assert.equal(r.err, null);
    const listed = r.data.Buckets.map((b: { Name: string }) => b.Name);
    for (const name of names) assert.ok(listed.includes(name), `${name} in ${listed}`);
    assert.equal(r.data.Buckets[0].Location, REGION);
  });

  test('List Objects: prefix, delimiter with CommonPrefixes, marker paging, encoding-type=url', async () => {
    const Bucket = bucketName();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    const keys = ['a.txt', 'dir/1.txt', 'dir/2.txt', 'dir/sub/3.txt', 'z z+%.txt', '文件夹/x', 'b'];
    for (const Key of keys)
      assert.equal((await call(h.cos, 'putObject', { Bucket, Region: REGION, Key, Body: Key })).err, null);
    const utf8Sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

    const all = await call(h.cos, 'getBucket', { Bucket, Region: REGION });
    assert.deepEqual(
      all.data.Contents.map((c: { Key: string }) => c.Key),
      utf8Sorted,
    );
    assert.equal(all.data.IsTruncated, 'false');

    const top = await call(h.cos, 'getBucket', { Bucket, Region: REGION, Delimiter: '/' });
    assert.deepEqual(
      top.data.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix),
      ['dir/', '文件夹/'],
    );
    assert.deepEqual(
      top.data.Contents.map((c: { Key: string }) => c.Key),
      ['a.txt', 'b', 'z z+%.txt'],
    );

    const dir = await call(h.cos, 'getBucket', { Bucket, Region: REGION, Prefix: 'dir/', Delimiter: '/' });
    assert.deepEqual(
      dir.data.Contents.map((c: { Key: string }) => c.Key),
      ['dir/1.txt', 'dir/2.txt'],
    );
    assert.deepEqual(
      dir.data.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix),
      ['dir/sub/'],
    );

    const paged: string[] = [];
    let Marker = '';
    for (let i = 0; i < 20; i++) {
      const r = await call(h.cos, 'getBucket', {
        Bucket,
        Region: REGION,
        MaxKeys: 2,
        Marker,
        Delimiter: '/',
      });
      paged.push(
        ...r.data.Contents.map((c: { Key: string }) => c.Key),
        ...r.data.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix),
      );
      if (r.data.IsTruncated !== 'true') break;
      Marker = r.data.NextMarker;
    }
    assert.deepEqual(paged.sort(), ['a.txt', 'b', 'dir/', 'z z+%.txt', '文件夹/'].sort());

    const encoded = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      query: { 'encoding-type': 'url', prefix: '文件夹/' },
    });
    assert.equal(encoded.status, 200);
    assert.match(encoded.text, /<Key>%E6%96%87%E4%BB%B6%E5%A4%B9\/x<\/Key>/);
    assert.match(encoded.text, /<EncodingType>url<\/EncodingType>/);

    const empty = await call(h.cos, 'getBucket', { Bucket, Region: REGION, Prefix: 'nothing-here/' });
    assert.deepEqual(empty.data.Contents, []);
    const bad = await call(h.cos, 'getBucket', { Bucket, Region: REGION, MaxKeys: 1001 });
    assert.equal(bad.err.code, 'InvalidArgument');
  });
});
