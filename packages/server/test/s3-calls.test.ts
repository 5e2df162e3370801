/**
 * The S3 calls around upload, driven by `@aws-sdk/client-s3` and `@aws-sdk/lib-storage` against a real
 * `coskit serve` (durable local store): buckets, multipart (with copy parts), CopyObject, DeleteObjects,
 * ListObjects v1/V2, tagging, ACL, conditional writes, pre-signed GET/PUT signed by AWS's own signer.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AbortMultipartUploadCommand,
  type BucketLocationConstraint,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketLocationCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListPartsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { AwsSha256, s3Client } from './support/s3.js';

const MiB = 1024 * 1024;

/** Rejects with an S3 service error of `status` and `code`. */
async function rejectsS3(p: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.equal(e.$metadata.httpStatusCode, status);
    assert.equal(e.name, code);
    return true;
  });
}

function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

describe('the S3 calls via @aws-sdk/client-s3', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();

  before(async () => {
    h = await startHarness();
    s3 = s3Client(h);
    await s3.send(
      new CreateBucketCommand({
        Bucket,
        CreateBucketConfiguration: { LocationConstraint: REGION as BucketLocationConstraint },
      }),
    );
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('CreateBucket (with CreateBucketConfiguration), HeadBucket, GetBucketLocation, ListBuckets, DeleteBucket', async () => {
    const other = bucketName();
    await rejectsS3(
      s3.send(
        new CreateBucketCommand({
          Bucket: other,
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as BucketLocationConstraint },
        }),
      ),
      400,
      'InvalidLocationConstraint',
    );
    await s3.send(new CreateBucketCommand({ Bucket: other }));
    await rejectsS3(s3.send(new CreateBucketCommand({ Bucket: other })), 409, 'BucketAlreadyOwnedByYou');
    const head = await s3.send(new HeadBucketCommand({ Bucket: other }));
    assert.equal(head.BucketRegion, REGION);
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: other }));
    assert.equal(location.LocationConstraint, REGION);
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(list.Buckets?.map((b) => b.Name).sort(), [Bucket, other].sort());
    assert.ok(list.Buckets?.every((b) => b.CreationDate instanceof Date));
    await s3.send(new PutObjectCommand({ Bucket: other, Key: 'x', Body: 'x' }));
    await rejectsS3(s3.send(new DeleteBucketCommand({ Bucket: other })), 409, 'BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: other, Key: 'x' }));
    // An unfinished upload does not keep an S3 bucket alive (COS's dialect refuses: BucketNotEmpty).
    await s3.send(new CreateMultipartUploadCommand({ Bucket: other, Key: 'unfinished' }));
    assert.equal(
      (await call(h.cos, 'deleteBucket', { Bucket: other, Region: REGION })).err?.error?.Code ?? 'no error',
      'BucketNotEmpty',
    );
    await s3.send(new DeleteBucketCommand({ Bucket: other }));
    await rejectsS3(s3.send(new HeadBucketCommand({ Bucket: other })), 404, 'NotFound');
  });

  test('multipart: Create, UploadPart, UploadPartCopy, ListParts, ListMultipartUploads, Complete, Abort', async () => {
    const Key = 'mp/object.bin';
    const part1 = pattern(5 * MiB, 1);
    const source = pattern(3 * MiB, 2);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'mp/source.bin', Body: source }));
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key,
        ContentType: 'application/x-test',
        Metadata: { m: '1' },
      }),
    );
    const UploadId = created.UploadId!;
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 2,
        CopySource: `${Bucket}/mp/source.bin`,
        CopySourceRange: 'bytes=0-1048575',
      }),
    );
    assert.match(String(p2.CopyPartResult?.ETag), /^"[0-9a-f]{32}"$/);
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    assert.deepEqual(
      parts.Parts?.map((p) => [p.PartNumber, p.Size]),
      [
        [1, 5 * MiB],
        [2, MiB],
      ],
    );
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'mp/' }));
    assert.deepEqual(
      uploads.Uploads?.map((u) => [u.Key, u.UploadId]),
      [[Key, UploadId]],
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const whole = Buffer.concat([part1, source.subarray(0, MiB)]);
    const expectedEtag = `"${createHash('md5')
      .update(Buffer.concat([md5(part1), md5(source.subarray(0, MiB))]))
      .digest('hex')}-2"`;
    assert.equal(done.ETag, expectedEtag);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(whole));
    assert.equal(got.ContentType, 'application/x-test');
    assert.deepEqual(got.Metadata, { m: '1' });
    // Abort: the upload is gone, its parts too.
    const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp/aborted' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp/aborted', UploadId: aborted.UploadId }));
    await rejectsS3(
      s3.send(new ListPartsCommand({ Bucket, Key: 'mp/aborted', UploadId: aborted.UploadId })),
      404,
      'NoSuchUpload',
    );
  });

  test('lib-storage Upload: a 12 MiB stream in 5 MiB parts, same bytes and CRC-64 as the COS dialect reads', async () => {
    const body = pattern(12 * MiB, 3);
    const upload = new Upload({
      client: s3,
      params: { Bucket, Key: 'lib-storage.bin', Body: body },
      partSize: 5 * MiB,
      queueSize: 2,
    });
    const seen: number[] = [];
    upload.on('httpUploadProgress', (p) => seen.push(p.loaded ?? 0));
    const result = await upload.done();
    assert.match(String(result.ETag), /-3"$/, 'three parts');
    assert.equal(Math.max(...seen), body.length);
    const cos = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'lib-storage.bin' });
    assert.equal(cos.data.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(body)));
    assert.equal(cos.data.ETag, result.ETag);
    const got = await s3.send(
      new GetObjectCommand({ Bucket, Key: 'lib-storage.bin', Range: 'bytes=5242878-5242881' }),
    );
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body.subarray(5242878, 5242882)));
  });

  test('CopyObject: metadata copied or replaced, tags follow, a missing source is NoSuchKey-like 404', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'copy/src.txt',
        Body: 'copy me',
        Metadata: { a: '1' },
        Tagging: 't=1',
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copy/dst.txt', CopySource: `${Bucket}/copy/src.txt` }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'copy/dst.txt' }));
    assert.equal(head.ETag, copied.CopyObjectResult?.ETag);
    assert.deepEqual(head.Metadata, { a: '1' });
    const replaced = await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'copy/replaced.txt',
        CopySource: `/${Bucket}/${encodeURIComponent('copy/src.txt')}`,
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
        ContentType: 'text/x-replaced',
      }),
    );
    assert.ok(replaced.CopyObjectResult?.ETag);
    const head2 = await s3.send(new HeadObjectCommand({ Bucket, Key: 'copy/replaced.txt' }));
    assert.deepEqual(head2.Metadata, { b: '2' });
    assert.equal(head2.ContentType, 'text/x-replaced');
    await rejectsS3(
      s3.send(new CopyObjectCommand({ Bucket, Key: 'copy/none', CopySource: `${Bucket}/copy/missing` })),
      404,
      'NoSuchCopySource',
    );
    await rejectsS3(
      s3.send(new CopyObjectCommand({ Bucket, Key: 'copy/none', CopySource: 'no-slash-here' })),
      400,
      'InvalidCopySource',
    );
  });

  test('DeleteObjects (checksum instead of Content-MD5) and ListObjects v1 with markers', async () => {
    const keys = ['del/a', 'del/b', 'del/c', 'del/sub/d'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const v1 = await s3.send(new ListObjectsCommand({ Bucket, Prefix: 'del/', Delimiter: '/', MaxKeys: 2 }));
    assert.deepEqual(
      v1.Contents?.map((c) => c.Key),
      ['del/a', 'del/b'],
    );
    assert.equal(v1.IsTruncated, true);
    const v1b = await s3.send(
      new ListObjectsCommand({ Bucket, Prefix: 'del/', Delimiter: '/', Marker: v1.NextMarker ?? 'del/b' }),
    );
    assert.deepEqual(
      v1b.Contents?.map((c) => c.Key),
      ['del/c'],
    );
    assert.deepEqual(
      v1b.CommonPrefixes?.map((p) => p.Prefix),
      ['del/sub/'],
    );
    const r = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [...keys, 'del/never-there'].map((Key) => ({ Key })) },
      }),
    );
    assert.deepEqual(r.Deleted?.map((d) => d.Key).sort(), [...keys, 'del/never-there'].sort());
    assert.equal(r.Errors, undefined);
    const after = await s3.send(new ListObjectsCommand({ Bucket, Prefix: 'del/' }));
    assert.equal(after.Contents, undefined);
  });

  test('object tagging and ACL calls', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'tags.txt', Body: 't' }));
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: 'tags.txt',
        Tagging: {
          TagSet: [
            { Key: 'k1', Value: 'v1' },
            { Key: 'k2', Value: 'v 2' },
          ],
        },
      }),
    );
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tags.txt' }));
    assert.deepEqual(tags.TagSet, [
      { Key: 'k1', Value: 'v1' },
      { Key: 'k2', Value: 'v 2' },
    ]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'tags.txt' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tags.txt' }))).TagSet, []);
    await rejectsS3(
      s3.send(
        new PutObjectTaggingCommand({
          Bucket,
          Key: 'tags.txt',
          Tagging: { TagSet: [{ Key: 'bad!', Value: 'x' }] },
        }),
      ),
      400,
      'InvalidTag',
    );
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'tags.txt', ACL: 'public-read' }));
    const acl = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'tags.txt' }));
    assert.ok(acl.Owner?.ID);
    assert.deepEqual(acl.Grants?.map((g) => g.Permission).sort(), ['FULL_CONTROL', 'READ']);
    // Public now: an anonymous GET reads it.
    const anonymous = await fetch(`http://127.0.0.1:${h.server.port}/${Bucket}/tags.txt`);
    assert.equal(anonymous.status, 200);
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'tags.txt', ACL: 'private' }));
    assert.equal((await fetch(`http://127.0.0.1:${h.server.port}/${Bucket}/tags.txt`)).status, 403);
  });

  test('conditional writes: If-None-Match: * and If-Match on PUT and Complete → 412, missing → 404', async () => {
    const Key = 'cond.txt';
    const first = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'one', IfNoneMatch: '*' }));
    await rejectsS3(
      s3.send(new PutObjectCommand({ Bucket, Key, Body: 'two', IfNoneMatch: '*' })),
      412,
      'PreconditionFailed',
    );
    await rejectsS3(
      s3.send(new PutObjectCommand({ Bucket, Key, Body: 'two', IfMatch: '"0123"' })),
      412,
      'PreconditionFailed',
    );
    const second = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'two', IfMatch: first.ETag }));
    await rejectsS3(
      s3.send(new PutObjectCommand({ Bucket, Key: 'cond-missing.txt', Body: 'x', IfMatch: '*' })),
      404,
      'NoSuchKey',
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(await got.Body!.transformToString(), 'two');
    // Complete: checked against the object the key holds at the commit.
    const mp = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId: mp.UploadId, PartNumber: 1, Body: 'multipart' }),
    );
    const complete = (cond: { IfNoneMatch?: string; IfMatch?: string }) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId: mp.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          ...cond,
        }),
      );
    await rejectsS3(complete({ IfNoneMatch: '*' }), 412, 'PreconditionFailed');
    await rejectsS3(complete({ IfMatch: first.ETag }), 412, 'PreconditionFailed');
    await complete({ IfMatch: second.ETag });
    const final = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(await final.Body!.transformToString(), 'multipart');
  });

  test('pre-signed GET and PUT URLs signed by AWS SigV4 (@smithy/signature-v4 presign)', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: REGION,
      credentials: {
        accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
        secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
      },
      sha256: AwsSha256,
      uriEscapePath: false,
    });
    const host = `127.0.0.1:${h.server.port}`;
    // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD (hoisted into the query).
    const presign = async (method: string, path: string) => {
      const signed = await signer.presign(
        {
          method,
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: h.server.port,
          path,
          query: {},
          headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        { expiresIn: 300, unsignableHeaders: new Set(['content-type']) },
      );
      const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
      return `http://${host}${path}?${qs}`;
    };
    const putUrl = await presign('PUT', `/${Bucket}/presigned/up.txt`);
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded via URL' });
    assert.equal(put.status, 200, await put.clone().text());
    assert.match(String(put.headers.get('x-amz-request-id')), /.+/);
    const getUrl = await presign('GET', `/${Bucket}/presigned/up.txt`);
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'uploaded via URL');
    // The PUT URL does not read, and a tampered URL is refused.
    const wrongMethod = await fetch(putUrl);
    assert.equal(wrongMethod.status, 403);
    assert.match(await wrongMethod.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const tampered = await fetch(getUrl.replace('up.txt', 'other.txt'));
    assert.equal(tampered.status, 403);
  });
});
