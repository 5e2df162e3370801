import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SUB_RESOURCES } from '@coskit/protocol';
import { SUB_RESOURCE_ROUTES } from '../src/http/router.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

// OPTIONS is the CORS preflight of any resource, sub-resources included (doc 8288): cors.test.ts.
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

describe('every COS sub-resource is routed or refused, never misrouted (issue 9 item 3)', () => {
  let h: Harness;
  const Bucket = bucketName();
  const Missing = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'obj', Body: 'original' });
  });
  after(() => h.close());

  /** What a client can observe of the stored state, plus every file under blobs/ and tmp/. */
  async function snapshot(): Promise<string> {
    const buckets = (await call(h.cos, 'getService', {})).data.Buckets.map((b: { Name: string }) => b.Name);
    const objects = (await call(h.cos, 'getBucket', { Bucket, Region: REGION })).data.Contents.map(
      (c: { Key: string; ETag: string; Size: string }) => `${c.Key} ${c.ETag} ${c.Size}`,
    );
    const uploads = (await call(h.cos, 'multipartList', { Bucket, Region: REGION })).data.Upload.map(
      (u: { Key: string }) => u.Key,
    );
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'obj' });
    const files = [
      ...(await readdir(join(h.dataDir, 'blobs'), { recursive: true })),
      ...(await readdir(join(h.dataDir, 'tmp'), { recursive: true })),
    ].sort();
    return JSON.stringify({ buckets, objects, uploads, headers: head.data.headers['content-type'], files });
  }

  test('the 501 list: exactly these names are refused whole (issue 11 took versioning and versions off it, issue 15 location)', () => {
    const refused = SUB_RESOURCES.filter((name) => SUB_RESOURCE_ROUTES[name] === 'NotImplemented');
    assert.deepEqual(refused, [
      'lifecycle',
      'policy',
      'website',
      'origin',
      'intelligenttiering',
      'replication',
      'logging',
      'inventory',
      'inventory-ai',
      'domain',
      'domaincertificate',
      'referer',
      'encryption',
      'object-lock',
      'accelerate',
      'notification',
      'metaquery',
      'live',
      'vod',
      'select',
      'symlink',
      'rename',
      'retention',
      'torrent',
    ]);
  });

  test('the whole table × every method × bucket, missing bucket and object', async () => {
    const before = await snapshot();
    let checked = 0;
    for (const name of SUB_RESOURCES) {
      const routeOf = SUB_RESOURCE_ROUTES[name];
      for (const method of METHODS) {
        for (const target of [
          { bucket: Bucket, key: '', level: 'bucket' as const },
          { bucket: Missing, key: '', level: 'bucket' as const },
          { bucket: Bucket, key: 'obj', level: 'object' as const },
        ]) {
          // A whole name or one level of it may be 501; otherwise an unrouted method is 405.
          const atLevel = routeOf === 'NotImplemented' ? 'NotImplemented' : routeOf[target.level];
          const routed = atLevel === 'NotImplemented' ? undefined : atLevel?.[method];
          if (routed !== undefined) continue; // a real handler: covered by the operation's own tests
          const res = await rawRequest({
            port: h.server.port,
            method,
            bucket: target.bucket,
            key: target.key,
            query: { [name]: '' },
            ...(method === 'PUT' || method === 'POST' ? { body: '<x>replaced</x>' } : {}),
          });
          const expected = atLevel === 'NotImplemented' ? 501 : 405;
          const what = `${method} ${target.bucket}/${target.key}?${name}`;
          assert.equal(res.status, expected, `${what}: ${res.text}`);
          if (method !== 'HEAD') {
            assert.equal(errorCode(res), expected === 501 ? 'NotImplemented' : 'MethodNotAllowed', what);
            assert.match(res.text, /<RequestId>[^<]+<\/RequestId>/, what);
          }
          checked++;
        }
      }
    }
    assert.ok(checked > SUB_RESOURCES.length * METHODS.length * 2, `only ${checked} combinations checked`);
    assert.equal(await snapshot(), before);
    assert.equal((await call(h.cos, 'headBucket', { Bucket: Missing, Region: REGION })).err?.statusCode, 404);
  });

  test('the reported misroutes: versions/location are not listings, origin creates no bucket, live stores nothing', async () => {
    // GET ?location is GET Bucket location now (issue 15), still never a listing.
    const location = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      query: { location: '' },
    });
    assert.equal(location.status, 200);
    assert.match(location.text, new RegExp(`<LocationConstraint>${REGION}</LocationConstraint>`));
    assert.doesNotMatch(location.text, /ListBucketResult/);
    // ?versions is GET Bucket Object versions now (issue 11 item 5): never the plain listing.
    const versions = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      query: { versions: '' },
    });
    assert.equal(versions.status, 200, versions.text);
    assert.match(versions.text, /^<\?xml[^>]*\?><ListVersionsResult>/);
    assert.match(
      versions.text,
      /<Version><Key>obj<\/Key><VersionId>null<\/VersionId><IsLatest>true<\/IsLatest>/,
    );
    const origin = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Missing,
      query: { origin: '' },
    });
    assert.equal(errorCode(origin), 'NotImplemented');
    assert.equal((await call(h.cos, 'headBucket', { Bucket: Missing, Region: REGION })).err?.statusCode, 404);
    const live = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'channel',
      query: { live: '' },
      body: 'not an object',
    });
    assert.equal(errorCode(live), 'NotImplemented');
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'channel' })).err?.statusCode,
      404,
    );
    // PUT /?uploads on a missing bucket used to create the bucket (routed as PUT Bucket).
    const uploads = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Missing,
      query: { uploads: '' },
    });
    assert.equal(errorCode(uploads), 'MethodNotAllowed');
    assert.equal((await call(h.cos, 'headBucket', { Bucket: Missing, Region: REGION })).err?.statusCode, 404);
  });

  test('the official SDK still reaches every implemented sub-resource', async () => {
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'mp' });
    assert.equal(init.err, null);
    const UploadId = init.data.UploadId;
    const part = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'mp',
      UploadId,
      PartNumber: 1,
      Body: 'part one',
    });
    assert.equal(part.err, null);
    const list = await call(h.cos, 'multipartListPart', { Bucket, Region: REGION, Key: 'mp', UploadId });
    assert.equal(list.data.Part.length, 1);
    const uploads = await call(h.cos, 'multipartList', { Bucket, Region: REGION });
    assert.ok(uploads.data.Upload.some((u: { UploadId: string }) => u.UploadId === UploadId));
    assert.equal(
      (await call(h.cos, 'multipartAbort', { Bucket, Region: REGION, Key: 'mp', UploadId })).err,
      null,
    );
    const append = await call(h.cos, 'appendObject', {
      Bucket,
      Region: REGION,
      Key: 'ap',
      Position: 0,
      Body: 'a',
    });
    assert.equal(append.err, null);
  });
});
