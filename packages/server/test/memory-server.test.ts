/**
 * `startServer({ storage: 'memory' })` through the official SDK: the whole upload path works,
 * nothing is written to disk, and two servers share nothing.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '../src/index.js';
import { call, type OfficialCos, REGION } from './support/harness.js';

const require = createRequire(import.meta.url);
const COS = require('cos-nodejs-sdk-v5') as new (o: Record<string, unknown>) => OfficialCos;
const Bucket = 'memory-1250000000';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

const clientOf = (server: RunningServer): OfficialCos =>
  new COS({
    SecretId: DEVELOPMENT_CREDENTIAL.secretId,
    SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    Protocol: 'http:',
    Ip: `127.0.0.1:${server.port}`,
    ChunkRetryTimes: 0,
  });

describe('a memory-backed server', () => {
  let dir: string;
  let one: RunningServer;
  let two: RunningServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coskit-memory-'));
    // A dataDir is given only to prove it is not used.
    const options = { port: 0, storage: 'memory', dataDir: join(dir, 'data'), logLevel: 'silent' } as const;
    [one, two] = await Promise.all([startServer(options), startServer(options)]);
  });
  after(async () => {
    await Promise.all([one.close(), two.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('PUT, GET with a range, APPEND, multipart, listing and DELETE work; nothing touches the disk', async () => {
    const cos = clientOf(one);
    assert.equal(one.store.description, 'memory');
    assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    const body = randomBytes(50_000);
    const put = await call(cos, 'putObject', { Bucket, Region: REGION, Key: 'a/b.bin', Body: body });
    assert.equal(put.err, null);
    assert.equal(put.data.ETag, `"${md5(body)}"`);
    const ranged = await call(cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'a/b.bin',
      Range: 'bytes=10-19',
    });
    assert.equal(ranged.data.statusCode, 206);
    assert.ok(Buffer.from(ranged.data.Body).equals(body.subarray(10, 20)));

    const first = await call(cos, 'appendObject', {
      Bucket,
      Region: REGION,
      Key: 'log',
      Position: 0,
      Body: 'ab',
    });
    assert.equal(first.err, null);
    await call(cos, 'appendObject', { Bucket, Region: REGION, Key: 'log', Position: 2, Body: 'cd' });
    const log = await call(cos, 'getObject', { Bucket, Region: REGION, Key: 'log' });
    assert.equal(Buffer.from(log.data.Body).toString(), 'abcd');

    const init = await call(cos, 'multipartInit', { Bucket, Region: REGION, Key: 'mp' });
    const parts = [randomBytes(1024 * 1024), randomBytes(10)];
    for (const [i, p] of parts.entries()) {
      const r = await call(cos, 'multipartUpload', {
        Bucket,
        Region: REGION,
        Key: 'mp',
        UploadId: init.data.UploadId,
        PartNumber: i + 1,
        Body: p,
      });
      assert.equal(r.err, null);
    }
    const done = await call(cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key: 'mp',
      UploadId: init.data.UploadId,
      Parts: parts.map((p, i) => ({ PartNumber: i + 1, ETag: `"${md5(p)}"` })),
    });
    assert.equal(done.err, null);
    const mp = await call(cos, 'getObject', { Bucket, Region: REGION, Key: 'mp' });
    assert.ok(Buffer.from(mp.data.Body).equals(Buffer.concat(parts)));

    const listed = await call(cos, 'getBucket', { Bucket, Region: REGION, Delimiter: '/' });
    assert.deepEqual(
      listed.data.Contents.map((c: { Key: string }) => c.Key),
      ['log', 'mp'],
    );
    assert.deepEqual(listed.data.CommonPrefixes, [{ Prefix: 'a/' }]);
    assert.equal((await call(cos, 'deleteObject', { Bucket, Region: REGION, Key: 'log' })).err, null);
    assert.equal(
      (await call(cos, 'headObject', { Bucket, Region: REGION, Key: 'log' })).err?.statusCode,
      404,
    );
    assert.deepEqual(await readdir(dir), [], 'the memory store created files');
  });

  test('two memory servers are isolated', async () => {
    const a = clientOf(one);
    const b = clientOf(two);
    await call(a, 'putBucket', { Bucket: 'iso-1250000000', Region: REGION });
    await call(a, 'putObject', { Bucket: 'iso-1250000000', Region: REGION, Key: 'k', Body: 'one' });
    assert.equal(
      (await call(b, 'headBucket', { Bucket: 'iso-1250000000', Region: REGION })).err?.statusCode,
      404,
    );
    assert.equal((await call(b, 'putBucket', { Bucket: 'iso-1250000000', Region: REGION })).err, null);
    assert.equal(
      (await call(b, 'headObject', { Bucket: 'iso-1250000000', Region: REGION, Key: 'k' })).err?.statusCode,
      404,
    );
  });

  test('an unknown storage kind is refused before anything starts', async () => {
    await assert.rejects(
      startServer({ port: 0, storage: 'disk' as 'local', logLevel: 'silent' }),
      /storage must be 'local' or 'memory'/,
    );
  });
});
