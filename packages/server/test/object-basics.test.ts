import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
const crcOf = (b: Buffer) => crc64ToDecimal(crc64(b));

describe('objects through the official SDK', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    const { err } = await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    assert.equal(err, null);
  });
  after(() => h.close());

  test('PUT then GET and HEAD return the bytes, ETag, CRC-64 and every stored header', async () => {
    const body = randomBytes(100_000);
    const put = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: '文件夹/a b+c.txt',
      Body: body,
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="x.txt"',
      ContentEncoding: 'identity',
      Headers: { 'Content-Language': 'zh-CN' }, // the Node SDK has no ContentLanguage parameter
      Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      StorageClass: 'STANDARD_IA',
      ACL: 'private',
      GrantRead: 'id="100000000001"',
      'x-cos-meta-key1': 'value1',
    });
    assert.equal(put.err, null);
    assert.equal(put.data.ETag, `"${md5hex(body)}"`);
    assert.equal(put.data.headers['x-cos-hash-crc64ecma'], crcOf(body));

    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: '文件夹/a b+c.txt' });
    assert.equal(head.err, null);
    const hh = head.data.headers;
    assert.equal(hh['content-length'], String(body.length));
    assert.equal(hh['content-type'], 'text/html; charset=utf-8');
    assert.equal(hh['cache-control'], 'max-age=60');
    assert.equal(hh['content-disposition'], 'attachment; filename="x.txt"');
    assert.equal(hh['content-encoding'], 'identity');
    assert.equal(hh['content-language'], 'zh-CN');
    assert.equal(hh['expires'], 'Wed, 21 Oct 2037 07:28:00 GMT');
    assert.equal(hh['x-cos-storage-class'], 'STANDARD_IA');
    assert.equal(hh['x-cos-meta-key1'], 'value1');
    assert.equal(hh['x-cos-hash-crc64ecma'], crcOf(body));
    assert.equal(hh['etag'], `"${md5hex(body)}"`);
    assert.ok(hh['x-cos-request-id']);

    const get = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: '文件夹/a b+c.txt' });
    assert.equal(get.err, null);
    assert.ok(Buffer.compare(get.data.Body, body) === 0);
  });

  test('a key ending in "/" with an empty body is a directory object', async () => {
    const put = await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'path/to/dir/', Body: '' });
    assert.equal(put.err, null);
    assert.equal(put.data.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'path/to/dir/' });
    assert.equal(head.data.headers['content-length'], '0');
    assert.equal(head.data.headers['x-cos-hash-crc64ecma'], '0');
  });

  test('Range GET answers 206 with Content-Range; an unsatisfiable range is 416 InvalidRange', async () => {
    const body = randomBytes(1000);
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'range.bin', Body: body });
    const part = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'range.bin',
      Range: 'bytes=10-19',
    });
    assert.equal(part.err, null);
    assert.equal(part.data.statusCode, 206);
    assert.equal(part.data.headers['content-range'], 'bytes 10-19/1000');
    assert.deepEqual(part.data.Body, body.subarray(10, 20));
    const suffix = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'range.bin',
      Range: 'bytes=-5',
    });
    assert.deepEqual(suffix.data.Body, body.subarray(995));
    const bad = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'range.bin',
      Range: 'bytes=1000-',
    });
    assert.equal(bad.err.statusCode, 416);
    assert.equal(bad.err.code, 'InvalidRange');
  });

  test('conditional GET: If-None-Match 304, If-Match 412, If-Modified-Since 304', async () => {
    const put = await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'cond.txt', Body: 'x' });
    const etag = put.data.ETag;
    const notModified = await call(h.cos, 'headObject', {
      Bucket,
      Region: REGION,
      Key: 'cond.txt',
      IfNoneMatch: etag,
    });
    assert.equal(notModified.err?.statusCode ?? notModified.data.statusCode, 304);
    const failed = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'cond.txt',
      IfMatch: '"0000"',
    });
    assert.equal(failed.err.statusCode, 412);
    assert.equal(failed.err.code, 'PreconditionFailed');
    const future = new Date(Date.now() + 3600_000).toUTCString();
    const since = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'cond.txt',
      IfModifiedSince: future,
    });
    assert.equal(since.data.NotModified, true); // the Node SDK reports a 304 GET this way
    const ok = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'cond.txt', IfMatch: etag });
    assert.equal(ok.err, null);
  });

  test('response-* query parameters override the answered headers', async () => {
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'override.txt',
      Body: 'x',
      ContentType: 'text/plain',
    });
    const get = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'override.txt',
      ResponseContentType: 'application/json',
      ResponseContentDisposition: 'inline',
    });
    assert.equal(get.err, null);
    assert.equal(get.data.headers['content-type'], 'application/json');
    assert.equal(get.data.headers['content-disposition'], 'inline');
  });

  test('Content-MD5 is verified: a wrong digest is BadDigest and stores nothing', async () => {
    const body = Buffer.from('hello');
    const wrong = createHash('md5').update('other').digest('base64');
    const bad = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'md5.txt',
      Body: body,
      ContentMD5: wrong,
    });
    assert.equal(bad.err.statusCode, 400);
    assert.equal(bad.err.code, 'BadDigest');
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'md5.txt' });
    assert.equal(head.err.statusCode, 404);
    const malformed = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'md5.txt',
      Body: body,
      ContentMD5: 'abc',
    });
    assert.equal(malformed.err.code, 'InvalidDigest');
    const right = createHash('md5').update(body).digest('base64');
    const good = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'md5.txt',
      Body: body,
      ContentMD5: right,
    });
    assert.equal(good.err, null);
  });

  test('DELETE answers 204, also for a missing key; the object is gone', async () => {
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'gone.txt', Body: 'x' });
    const del = await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'gone.txt' });
    assert.equal(del.err, null);
    assert.equal(del.data.statusCode, 204);
    const again = await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'gone.txt' });
    assert.equal(again.data.statusCode, 204);
    const get = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'gone.txt' });
    assert.equal(get.err.statusCode, 404);
    assert.equal(get.err.code, 'NoSuchKey');
    assert.equal(get.err.error.Resource.includes('gone.txt'), true);
    assert.ok(get.err.error.RequestId);
    assert.ok(get.err.error.TraceId);
  });

  test('an invalid TrafficLimit is refused with InvalidArgument', async () => {
    const r = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 't.bin',
      Body: 'x',
      TrafficLimit: 100,
    });
    assert.equal(r.err.statusCode, 400);
    assert.equal(r.err.code, 'InvalidArgument');
  });

  test('x-cos-traffic-limit is enforced: 150 KB at 819200 bit/s takes about 1.5 s', async () => {
    const body = randomBytes(150 * 1024);
    const started = performance.now();
    const r = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'slow.bin',
      Body: body,
      TrafficLimit: 819200,
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.err, null);
    // 153600 bytes × 8 / 819200 bit/s = 1.5 s; the server paces from the first byte.
    assert.ok(seconds >= 1.3, `took ${seconds.toFixed(2)} s`);
    const get = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'slow.bin' });
    assert.ok(Buffer.compare(get.data.Body, body) === 0);
  });

  test('versionId: "null" is the current object; an unknown version is 404 NoSuchVersion and deletes nothing, a malformed one 400', async () => {
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'versioned.txt', Body: 'v' });
    const current = await call(h.cos, 'headObject', {
      Bucket,
      Region: REGION,
      Key: 'versioned.txt',
      VersionId: 'null',
    });
    assert.equal(current.err, null);
    const malformed = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'versioned.txt',
      VersionId: 'nope',
    });
    assert.equal(malformed.err.statusCode, 400);
    assert.equal(malformed.err.code, 'InvalidArgument');
    // Well-formed (base64 of digits, as this server's IDs are) but naming no version.
    const other = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'versioned.txt',
      VersionId: 'MTg0NDUx',
    });
    assert.equal(other.err.statusCode, 404);
    assert.equal(other.err.code, 'NoSuchVersion');
    const del = await call(h.cos, 'deleteObject', {
      Bucket,
      Region: REGION,
      Key: 'versioned.txt',
      VersionId: 'MTg0NDUx',
    });
    assert.equal(del.err?.statusCode ?? del.data.statusCode, 404);
    const still = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'versioned.txt' });
    assert.equal(still.err, null, 'the object survives a DELETE of another version');
  });
});
