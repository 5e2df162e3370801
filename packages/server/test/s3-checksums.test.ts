/**
 * S3 checksums with `@aws-sdk/client-s3`: each of CRC32, CRC32C, CRC64NVME, SHA1, SHA256 computed by the
 * SDK is verified by the server while the body streams, stored, and answered on HEAD/GET with
 * `x-amz-checksum-mode: ENABLED` (the SDK then checks the body against it); a wrong one stores nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ChecksumAlgorithm,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsChecksumOf } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client, s3Raw } from './support/s3.js';

const ALGORITHMS: [ChecksumAlgorithm, 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256', string][] = [
  ['CRC32', 'crc32', 'ChecksumCRC32'],
  ['CRC32C', 'crc32c', 'ChecksumCRC32C'],
  ['CRC64NVME', 'crc64nvme', 'ChecksumCRC64NVME'],
  ['SHA1', 'sha1', 'ChecksumSHA1'],
  ['SHA256', 'sha256', 'ChecksumSHA256'],
];

describe('S3 checksums: verified, stored, returned', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();

  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h);
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  for (const [ChecksumAlgorithm, name, field] of ALGORITHMS) {
    test(`${ChecksumAlgorithm}: PUT verifies and stores it; HEAD/GET with checksum mode return it`, async () => {
      const Body = Buffer.from(`checksummed with ${ChecksumAlgorithm} `.repeat(1000));
      const Key = `sum/${name}.txt`;
      const expected = awsChecksumOf(name, Body);
      const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumAlgorithm }));
      assert.equal(
        (put as unknown as Record<string, unknown>)[field],
        expected,
        'PUT echoes the verified checksum',
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      assert.equal((head as unknown as Record<string, unknown>)[field], expected);
      assert.equal(head.ChecksumType, 'FULL_OBJECT');
      const plain = await s3.send(new HeadObjectCommand({ Bucket, Key }));
      assert.equal((plain as unknown as Record<string, unknown>)[field], undefined, 'only when asked for');
      const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      assert.equal((got as unknown as Record<string, unknown>)[field], expected);
      // The SDK validates the streamed body against the checksum it was given.
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Body));
    });
  }

  test('a ranged GET answers no whole-object checksum; a wrong checksum is 400 BadDigest and stores nothing', async () => {
    const raw = await s3Raw(h, 'GET', Bucket, 'sum/crc32.txt', {
      headers: { 'x-amz-checksum-mode': 'ENABLED', range: 'bytes=0-9' },
    });
    assert.equal(raw.status, 206);
    assert.equal(raw.headers['x-amz-checksum-crc32'], undefined);
    for (const [, name] of ALGORITHMS) {
      const wrong = await s3Raw(h, 'PUT', Bucket, `sum/wrong-${name}`, {
        body: 'the body',
        headers: { [`x-amz-checksum-${name}`]: awsChecksumOf(name, Buffer.from('another body'))! },
      });
      assert.equal(wrong.status, 400, name);
      assert.equal(wrong.code, 'BadDigest');
      const head = await s3Raw(h, 'HEAD', Bucket, `sum/wrong-${name}`);
      assert.equal(head.status, 404);
    }
  });

  test('Upload Part verifies and echoes its checksum', async () => {
    const Key = 'sum/part.bin';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32C' }),
    );
    const Body = Buffer.alloc(300_000, 7);
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body, ChecksumAlgorithm: 'CRC32C' }),
    );
    assert.equal(part.ChecksumCRC32C, awsChecksumOf('crc32c', Body));
  });
});
