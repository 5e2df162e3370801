/**
 * One object, two dialects: written with q-sign (the official COS SDK, single PUT and multipart) and
 * read with SigV4 (`@aws-sdk/client-s3`), and the other way round — the same bytes, ETag, metadata and
 * CRC-64 (`x-cos-hash-crc64ecma`, which the S3 dialect answers too).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client, s3Raw } from './support/s3.js';

const MiB = 1024 * 1024;
const pattern = (size: number, seed: number) => Buffer.alloc(size).map((_, i) => (i * 13 + seed) & 0xff);

describe('cross-dialect: q-sign writes, SigV4 reads, and back', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();
  const cosHead = async (Key: string) => {
    const r = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key });
    assert.equal(r.err, null);
    return r.data.headers as Record<string, string>;
  };
  const s3Crc64 = async (Key: string) =>
    (await s3Raw(h, 'HEAD', Bucket, Key)).headers['x-cos-hash-crc64ecma'] as string | undefined;

  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h);
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('a multipart upload with q-sign reads the same through SigV4: bytes, ETag, CRC-64, metadata', async () => {
    const Key = 'cos/multipart.bin';
    const parts = [pattern(MiB, 1), pattern(MiB, 2), pattern(300_000, 3)];
    const whole = Buffer.concat(parts);
    const init = await call(h.cos, 'multipartInit', {
      Bucket,
      Region: REGION,
      Key,
      Headers: { 'x-cos-meta-writer': 'cos' },
    });
    assert.equal(init.err, null);
    const UploadId = init.data.UploadId;
    const etags: { PartNumber: number; ETag: string }[] = [];
    for (const [i, Body] of parts.entries()) {
      const r = await call(h.cos, 'multipartUpload', {
        Bucket,
        Region: REGION,
        Key,
        UploadId,
        PartNumber: i + 1,
        Body,
      });
      assert.equal(r.err, null);
      etags.push({ PartNumber: i + 1, ETag: r.data.ETag });
    }
    const done = await call(h.cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key,
      UploadId,
      Parts: etags,
    });
    assert.equal(done.err, null);
    const cos = await cosHead(Key);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    assert.equal(head.ETag, cos.etag);
    assert.match(String(head.ETag), /-3"$/);
    assert.deepEqual(head.Metadata, { writer: 'cos' });
    assert.equal(await s3Crc64(Key), crc64ToDecimal(crc64(whole)));
    assert.equal(cos['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(whole)));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(whole));
  });

  test('single PUT and lib-storage multipart with SigV4 read the same through q-sign', async () => {
    const small = Buffer.from('written with SigV4, read with q-sign');
    const put = await s3.send(
      new PutObjectCommand({ Bucket, Key: 's3/single.txt', Body: small, Metadata: { writer: 's3' } }),
    );
    const cos = await cosHead('s3/single.txt');
    assert.equal(cos.etag, put.ETag);
    assert.equal(cos['x-cos-meta-writer'], 's3');
    assert.equal(cos['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(small)));
    assert.equal(await s3Crc64('s3/single.txt'), cos['x-cos-hash-crc64ecma']);

    const big = pattern(11 * MiB, 9);
    const uploaded = await new Upload({
      client: s3,
      params: { Bucket, Key: 's3/multipart.bin', Body: big },
      partSize: 5 * MiB,
    }).done();
    const cosBig = await cosHead('s3/multipart.bin');
    assert.equal(cosBig.etag, uploaded.ETag);
    assert.equal(cosBig['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(big)));
    const got = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 's3/multipart.bin' });
    assert.equal(got.err, null);
    assert.ok(Buffer.from(got.data.Body).equals(big));
  });
});
