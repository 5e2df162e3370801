/**
 * S3 CopyObject with `@aws-sdk/client-s3`: the copy keeps the source's checksum (single PUT or
 * multipart composite) whatever the metadata directive, `ChecksumAlgorithm` gives it a new
 * FULL_OBJECT checksum computed over the copied bytes (also onto itself), and `TaggingDirective`
 * COPY (S3's default) / REPLACE decides the tags independently of the metadata directive.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsChecksumOf, LIMITS } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client, s3Raw } from './support/s3.js';

describe('S3 CopyObject: checksums and the tagging directive', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();
  const Body = Buffer.from('bytes to copy '.repeat(5000));
  const head = (Key: string) => s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
  const tags = async (Key: string) =>
    (await s3.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet?.map((t) => `${t.Key}=${t.Value}`);

  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h);
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'src', Body, ChecksumAlgorithm: 'CRC32C', Tagging: 'a=1' }),
    );
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test("without ChecksumAlgorithm the copy keeps the source's checksum, with either metadata directive", async () => {
    const crc32c = awsChecksumOf('crc32c', Body);
    for (const MetadataDirective of ['COPY', 'REPLACE'] as const) {
      const Key = `keep-${MetadataDirective}`;
      const copied = await s3.send(
        new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/src`, MetadataDirective }),
      );
      assert.equal(copied.CopyObjectResult?.ChecksumCRC32C, crc32c);
      assert.equal(copied.CopyObjectResult?.ChecksumType, 'FULL_OBJECT');
      const h2 = await head(Key);
      assert.equal(h2.ChecksumCRC32C, crc32c);
      assert.equal(h2.ChecksumType, 'FULL_OBJECT');
    }
  });

  test('ChecksumAlgorithm gives the copy a new FULL_OBJECT checksum of its bytes, also onto itself', async () => {
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'sha', CopySource: `${Bucket}/src`, ChecksumAlgorithm: 'SHA256' }),
    );
    assert.equal(copied.CopyObjectResult?.ChecksumSHA256, awsChecksumOf('sha256', Body));
    const h2 = await head('sha');
    assert.equal(h2.ChecksumSHA256, awsChecksumOf('sha256', Body));
    assert.equal(h2.ChecksumCRC32C, undefined, 'the old checksum is gone');
    // Onto itself: changing the checksum is a change S3 accepts without REPLACE.
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'sha',
        CopySource: `${Bucket}/sha`,
        ChecksumAlgorithm: 'CRC64NVME',
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'sha', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC64NVME, awsChecksumOf('crc64nvme', Body));
    // The SDK checks the streamed body against it.
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Body));
    const refused = await s3Raw(h, 'PUT', Bucket, 'bad-algorithm', {
      headers: { 'x-amz-copy-source': `/${Bucket}/src`, 'x-amz-checksum-algorithm': 'MD4' },
    });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.code, 'InvalidRequest');
    assert.match(refused.text, /<Message>Checksum algorithm provided is unsupported/);
    assert.equal((await s3Raw(h, 'HEAD', Bucket, 'bad-algorithm')).status, 404);
  });

  test('a composite multipart source: copied as it is, or made FULL_OBJECT by ChecksumAlgorithm', async () => {
    const Key = 'mp-src';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }),
    );
    const parts = [Buffer.alloc(LIMITS.minPartSize, 9), Buffer.from('tail')];
    const listed = [];
    for (const [i, part] of parts.entries()) {
      const r = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: part,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      listed.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: listed } }),
    );
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'mp-kept', CopySource: `${Bucket}/${Key}` }));
    const kept = await head('mp-kept');
    assert.equal(kept.ChecksumCRC32, done.ChecksumCRC32);
    assert.match(kept.ChecksumCRC32 ?? '', /-2$/);
    assert.equal(kept.ChecksumType, 'COMPOSITE');
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'mp-full',
        CopySource: `${Bucket}/${Key}`,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const full = await head('mp-full');
    assert.equal(full.ChecksumCRC32, awsChecksumOf('crc32', Buffer.concat(parts)));
    assert.equal(full.ChecksumType, 'FULL_OBJECT');
  });

  test('TaggingDirective: COPY (the default, whatever the metadata directive) keeps the tags, REPLACE takes the request’s', async () => {
    const copy = (Key: string, extra: Record<string, string>) =>
      s3.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/src`, ...extra }));
    await copy('t-default', { Tagging: 'b=2' });
    assert.deepEqual(await tags('t-default'), ['a=1'], 'COPY ignores the request’s tags, as S3 does');
    await copy('t-meta-replace', { MetadataDirective: 'REPLACE', ContentType: 'text/plain' });
    assert.deepEqual(await tags('t-meta-replace'), ['a=1']);
    await copy('t-replace', { TaggingDirective: 'REPLACE', Tagging: 'b=2&c=3' });
    assert.deepEqual(await tags('t-replace'), ['b=2', 'c=3']);
    await copy('t-replace-none', { TaggingDirective: 'REPLACE' });
    assert.deepEqual(await tags('t-replace-none'), []);
    // Onto itself: REPLACE of the tags is a change.
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 't-replace',
        CopySource: `${Bucket}/t-replace`,
        TaggingDirective: 'REPLACE',
        Tagging: 'd=4',
      }),
    );
    assert.deepEqual(await tags('t-replace'), ['d=4']);
    const refused = await s3Raw(h, 'PUT', Bucket, 't-bad', {
      headers: { 'x-amz-copy-source': `/${Bucket}/src`, 'x-amz-tagging-directive': 'MERGE' },
    });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.code, 'InvalidArgument');
    assert.match(refused.text, /<Message>[^<]*tagging-directive/);
  });
});
