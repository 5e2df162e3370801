/**
 * S3 GetObjectAttributes with `@aws-sdk/client-s3` against the real server: ETag, checksum (single
 * PUT and composite multipart), ObjectParts with the parts' sizes and checksums and their paging,
 * storage class and size, a version, an SSE-C object; the refusals (no or unknown attribute, a
 * missing key, the COS dialect, which has no such call).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  type ObjectAttributes,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsChecksumOf, LIMITS } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';
import { s3Client, s3Raw } from './support/s3.js';

const ALL: ObjectAttributes[] = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];

describe('S3 GetObjectAttributes', () => {
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

  test('a single PUT: ETag without quotes, its checksum, storage class and size, no ObjectParts', async () => {
    const Body = Buffer.from('attributes of a small object');
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'one',
        Body,
        ChecksumAlgorithm: 'SHA256',
        StorageClass: 'STANDARD_IA',
      }),
    );
    const got = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'one', ObjectAttributes: ALL }));
    assert.equal(got.ETag, put.ETag!.replace(/"/g, ''));
    assert.equal(got.Checksum?.ChecksumSHA256, awsChecksumOf('sha256', Body));
    assert.equal(got.Checksum?.ChecksumType, 'FULL_OBJECT');
    assert.equal(got.StorageClass, 'STANDARD_IA');
    assert.equal(got.ObjectSize, Body.length);
    assert.equal(got.ObjectParts, undefined);
    assert.ok(got.LastModified instanceof Date);
    const some = await s3.send(
      new GetObjectAttributesCommand({ Bucket, Key: 'one', ObjectAttributes: ['ObjectSize'] }),
    );
    assert.equal(some.ObjectSize, Body.length);
    assert.equal(some.ETag, undefined, 'only what is asked for');
    assert.equal(some.Checksum, undefined);
  });

  test('a composite multipart object: its parts with sizes and checksums, paged by MaxParts and PartNumberMarker', async () => {
    const Key = 'multi';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }),
    );
    const bodies = [
      Buffer.alloc(LIMITS.minPartSize, 1),
      Buffer.alloc(LIMITS.minPartSize, 2),
      Buffer.from('end'),
    ];
    const parts = [];
    for (const [i, Body] of bodies.entries()) {
      const r = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body,
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256 });
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
    );
    const got = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ALL }));
    assert.equal(got.ETag, done.ETag!.replace(/"/g, ''));
    assert.equal(got.Checksum?.ChecksumSHA256, done.ChecksumSHA256);
    assert.equal(got.Checksum?.ChecksumType, 'COMPOSITE');
    assert.equal(got.ObjectSize, Buffer.concat(bodies).length);
    assert.equal(got.ObjectParts?.TotalPartsCount, 3);
    assert.equal(got.ObjectParts?.IsTruncated, false);
    assert.deepEqual(
      got.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumSHA256]),
      bodies.map((b, i) => [i + 1, b.length, awsChecksumOf('sha256', b)]),
    );
    const page = await s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key,
        ObjectAttributes: ['ObjectParts'],
        MaxParts: 1,
        PartNumberMarker: '1',
      }),
    );
    assert.equal(page.ObjectParts?.PartNumberMarker, '1');
    assert.equal(page.ObjectParts?.NextPartNumberMarker, '2');
    assert.equal(page.ObjectParts?.MaxParts, 1);
    assert.equal(page.ObjectParts?.IsTruncated, true);
    assert.deepEqual(
      page.ObjectParts?.Parts?.map((p) => p.PartNumber),
      [2],
    );
  });

  test('a multipart object without a checksum: the part count only, as S3 answers it', async () => {
    const Key = 'plain-multi';
    const created = await s3Raw(h, 'POST', Bucket, Key, { query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)</.exec(created.text)![1]!;
    const etags = [];
    for (const [i, body] of [Buffer.alloc(LIMITS.minPartSize, 5), Buffer.from('x')].entries()) {
      const r = await s3Raw(h, 'PUT', Bucket, Key, { query: { partNumber: String(i + 1), uploadId }, body });
      etags.push(String(r.headers.etag));
    }
    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    assert.equal((await s3Raw(h, 'POST', Bucket, Key, { query: { uploadId }, body: xml })).status, 200);
    const got = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ALL }));
    assert.equal(got.ObjectParts?.TotalPartsCount, 2);
    assert.equal(got.ObjectParts?.Parts, undefined);
    assert.equal(got.Checksum, undefined);
  });

  test('refusals: no or unknown attribute (400 InvalidArgument), a missing key (404), an SSE-C object without its key (400), the COS dialect (501)', async () => {
    const none = await s3Raw(h, 'GET', Bucket, 'one', { query: { attributes: '' } });
    assert.equal(none.status, 400, none.text);
    assert.equal(none.code, 'InvalidArgument');
    const unknown = await s3Raw(h, 'GET', Bucket, 'one', {
      query: { attributes: '' },
      headers: { 'x-amz-object-attributes': 'ETag,Colour' },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.code, 'InvalidArgument');
    assert.match(unknown.text, /Colour/);
    const missing = await s3Raw(h, 'GET', Bucket, 'nope', {
      query: { attributes: '' },
      headers: { 'x-amz-object-attributes': 'ETag' },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.code, 'NoSuchKey');
    const key = Buffer.alloc(32, 7);
    const sse = {
      SSECustomerAlgorithm: 'AES256',
      SSECustomerKey: key.toString('base64'),
      SSECustomerKeyMD5: (await import('node:crypto')).createHash('md5').update(key).digest('base64'),
    };
    await s3.send(new PutObjectCommand({ Bucket, Key: 'secret', Body: 'hidden', ...sse }));
    await assert.rejects(
      s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'secret', ObjectAttributes: ['ObjectSize'] })),
      (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 400,
    );
    const withKey = await s3.send(
      new GetObjectAttributesCommand({ Bucket, Key: 'secret', ObjectAttributes: ['ObjectSize'], ...sse }),
    );
    assert.equal(withKey.ObjectSize, 6);
    const cos = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'one',
      query: { attributes: '' },
      headers: { 'x-amz-object-attributes': 'ETag' },
    });
    assert.equal(cos.status, 501, cos.text);
    assert.equal(errorCode(cos), 'NotImplemented');
  });
});
