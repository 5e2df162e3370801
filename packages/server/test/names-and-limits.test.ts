import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

/** Every entry (files and directories) under `dir`, relative to it. */
async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('bucket names and refused bodies (issue 9 item 10)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('an APPID longer than 10 digits is InvalidBucketName, and no bucket is created', async () => {
    const Bucket = `examplebucket-${'1'.repeat(50)}`;
    const r = await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    assert.equal(r.err?.statusCode, 400);
    assert.equal(r.err?.code, 'InvalidBucketName');
    const listed = (await call(h.cos, 'getService', {})).data.Buckets.map((b: { Name: string }) => b.Name);
    assert.ok(!listed.includes(Bucket), `${Bucket} was created`);
    const leadingZero = await call(h.cos, 'putBucket', {
      Bucket: 'examplebucket-0125000000',
      Region: REGION,
    });
    assert.equal(leadingZero.err?.code, 'InvalidBucketName');
  });

  test('the virtual host <bucket>.cos.<region>.myqcloud.com may be 60 characters, not 61', async () => {
    // ".cos.ap-guangzhou.myqcloud.com" is 30 characters, "-1250000000" 11: 19 are left for the name.
    const fits = `${'a'.repeat(19)}-1250000000`;
    const tooLong = `${'a'.repeat(20)}-1250000000`;
    assert.equal((await call(h.cos, 'putBucket', { Bucket: fits, Region: REGION })).err, null);
    const r = await call(h.cos, 'putBucket', { Bucket: tooLong, Region: REGION });
    assert.equal(r.err?.statusCode, 400);
    assert.equal(r.err?.code, 'BucketNameTooLong');
    assert.match(r.err?.message ?? '', /60/);
  });

  test('a PUT refused for BadDigest leaves nothing on disk, not even a shard folder', async () => {
    const Bucket = bucketName();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    const blobsBefore = await entries(join(h.dataDir, 'blobs'));
    const wrongMd5 = createHash('md5').update('something else').digest('base64');
    const bad = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'bad-digest',
      Body: Buffer.from('the body'),
      ContentMD5: wrongMd5,
    });
    assert.equal(bad.err?.code, 'BadDigest');
    assert.deepEqual(await entries(join(h.dataDir, 'blobs')), blobsBefore);
    assert.deepEqual(await entries(join(h.dataDir, 'tmp')), []);
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'bad-digest' })).err?.statusCode,
      404,
    );
  });
});
