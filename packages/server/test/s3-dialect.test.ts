/**
 * The S3 response dialect and the x-amz-* request mapping: a SigV4 request is answered with `x-amz-*`
 * headers, S3 `<Error>` bodies and S3's namespace, and its `x-amz-meta-*`, storage class, tagging and
 * ACL headers land on the same stored metadata as the COS dialect's `x-cos-*` ones (checked from both
 * sides with `@aws-sdk/client-s3` and the official COS SDK).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { S3_XML_NAMESPACE } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client, s3Raw } from './support/s3.js';

describe('the S3 dialect: answers and x-amz-* headers', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();

  before(async () => {
    h = await startHarness({ storage: 'memory' });
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h);
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('a SigV4 answer carries x-amz-request-id and x-amz-id-2, no x-cos-request-id', async () => {
    const put = await s3Raw(h, 'PUT', Bucket, 'ids.txt', { body: 'abc' });
    assert.equal(put.status, 200);
    assert.match(String(put.headers['x-amz-request-id']), /.+/);
    assert.equal(put.headers['x-cos-request-id'], undefined);
    assert.ok(put.headers['x-cos-hash-crc64ecma'], 'CRC-64 is answered in both dialects');
    // The COS dialect is unchanged.
    const cos = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'ids.txt' });
    assert.match(String(cos.data.headers['x-cos-request-id']), /.+/);
    assert.equal(cos.data.headers['x-amz-request-id'], undefined);
  });

  test('errors are S3 <Error> bodies: Code, Message, Resource (the path), RequestId', async () => {
    const r = await s3Raw(h, 'GET', Bucket, 'missing/key.txt');
    assert.equal(r.status, 404);
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>NoSuchKey<\/Code><Message>/);
    assert.match(r.text, new RegExp(`<Resource>/${Bucket}/missing/key.txt</Resource>`));
    assert.match(r.text, new RegExp(`<RequestId>${r.headers['x-amz-request-id']}</RequestId>`));
    assert.doesNotMatch(r.text, /TraceId/);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'missing/key.txt' })), (e: unknown) => {
      assert.ok(e instanceof NoSuchKey);
      assert.match(String(e.$metadata.requestId), /.+/);
      return true;
    });
    // A refused signature speaks S3 too.
    const bad = s3Client(h, { credentials: { accessKeyId: 'AKIDNOSUCHKEY', secretAccessKey: 'x' } });
    await assert.rejects(bad.send(new HeadObjectCommand({ Bucket, Key: 'ids.txt' })), (e: unknown) => {
      assert.ok(e instanceof S3ServiceException);
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    bad.destroy();
  });

  test('result documents carry S3 namespace and declaration; COS answers keep theirs', async () => {
    const list = await s3Raw(h, 'GET', Bucket, '', { query: { 'list-type': '2' } });
    assert.equal(list.status, 200);
    assert.ok(
      list.text.startsWith(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="${S3_XML_NAMESPACE}">`,
      ),
      list.text.slice(0, 120),
    );
    const cos = await call(h.cos, 'getBucket', { Bucket, Region: REGION });
    assert.equal(cos.err, null);
  });

  test('x-amz-meta-*, storage class, tagging and ACL are the same stored metadata as x-cos-*', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'meta.txt',
        Body: 'metadata',
        Metadata: { color: 'blue', 'two-words': 'x y' },
        StorageClass: 'STANDARD_IA',
        Tagging: 'project=alpha&stage=test',
        ACL: 'public-read',
        ContentType: 'text/plain',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'meta.txt' }));
    assert.deepEqual(head.Metadata, { color: 'blue', 'two-words': 'x y' });
    assert.equal(head.StorageClass, 'STANDARD_IA');
    const raw = await s3Raw(h, 'HEAD', Bucket, 'meta.txt');
    assert.equal(raw.headers['x-amz-tagging-count'], '2');
    assert.equal(raw.headers['x-amz-storage-class'], 'STANDARD_IA');
    assert.equal(raw.headers['x-cos-meta-color'], undefined);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'meta.txt' }));
    assert.deepEqual(
      tags.TagSet?.map((t) => [t.Key, t.Value]),
      [
        ['project', 'alpha'],
        ['stage', 'test'],
      ],
    );
    const acl = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'meta.txt' }));
    assert.ok(acl.Grants?.some((g) => g.Permission === 'READ' && g.Grantee?.URI?.endsWith('AllUsers')));
    // The COS dialect reads the same object's metadata under its own names.
    const cos = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'meta.txt' });
    assert.equal(cos.data.headers['x-cos-meta-color'], 'blue');
    assert.equal(cos.data.headers['x-cos-storage-class'], 'STANDARD_IA');
    assert.equal(cos.data.headers['x-cos-tagging-count'], '2');
    // And the other way round: x-cos-meta-* written with q-sign reads as x-amz-meta-*.
    assert.equal(
      (
        await call(h.cos, 'putObject', {
          Bucket,
          Region: REGION,
          Key: 'cos-meta.txt',
          Body: 'x',
          Headers: { 'x-cos-meta-origin': 'cos' },
          StorageClass: 'ARCHIVE',
        })
      ).err,
      null,
    );
    const head2 = await s3.send(new HeadObjectCommand({ Bucket, Key: 'cos-meta.txt' }));
    assert.deepEqual(head2.Metadata, { origin: 'cos' });
    assert.equal(head2.StorageClass, 'ARCHIVE');
  });

  test('an x-cos-* header beside SigV4 is not read: x-cos-meta-* and x-cos-acl are ignored, x-amz-* wins', async () => {
    const put = await s3Raw(h, 'PUT', Bucket, 'mixed.txt', {
      body: 'm',
      headers: { 'x-cos-meta-sneaky': '1', 'x-amz-meta-real': '2', 'x-cos-storage-class': 'ARCHIVE' },
    });
    assert.equal(put.status, 200);
    const cos = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'mixed.txt' });
    assert.equal(cos.data.headers['x-cos-meta-real'], '2');
    assert.equal(cos.data.headers['x-cos-meta-sneaky'], undefined);
    assert.equal(cos.data.headers['x-cos-storage-class'], undefined, 'STANDARD, not ARCHIVE');
  });

  test('a bad x-amz-storage-class is S3 400 InvalidStorageClass', async () => {
    const r = await s3Raw(h, 'PUT', Bucket, 'bad-class.txt', {
      body: 'b',
      headers: { 'x-amz-storage-class': 'GLACIER_SOMETHING' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.code, 'InvalidStorageClass');
    assert.match(r.text, /<Resource>/);
  });
});
