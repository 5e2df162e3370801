/**
 * S3 behaviours around multipart objects that ceph/s3-tests exercises, against the real server with
 * `@aws-sdk/client-s3` and raw SigV4 requests: GET/HEAD `?partNumber=` (one part's bytes, 206 with
 * `Content-Range` and the part count; part 1 of a single PUT is the object; the part's checksum in
 * checksum mode), a retried Complete answered like the first, an empty Complete body, and a copy
 * source naming a bucket that cannot exist here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsChecksumOf, LIMITS } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client, s3Raw } from './support/s3.js';

describe('S3 part reads and Complete retries', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();
  const bodies = [
    Buffer.alloc(LIMITS.minPartSize, 'a'),
    Buffer.alloc(LIMITS.minPartSize, 'b'),
    Buffer.from('c tail'),
  ];
  let etag = '';

  async function upload(Key: string, ChecksumAlgorithm?: 'SHA256') {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm }));
    const Parts = [];
    for (const [i, Body] of bodies.entries()) {
      const r = await s3.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm }),
      );
      Parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256 });
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }),
    );
    return { UploadId: UploadId!, Parts, done };
  }

  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h, {
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    etag = (await upload('mp')).done.ETag!;
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('GET/HEAD ?partNumber answer each part with the part count and the object ETag', async () => {
    let offset = 0;
    for (const [i, body] of bodies.entries()) {
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'mp', PartNumber: i + 1 }));
      assert.equal(head.PartsCount, 3);
      assert.equal(head.ETag, etag);
      assert.equal(head.ContentLength, body.length);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'mp', PartNumber: i + 1 }));
      assert.equal(got.PartsCount, 3);
      assert.equal(
        got.ContentRange,
        `bytes ${offset}-${offset + body.length - 1}/${Buffer.concat(bodies).length}`,
      );
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
      offset += body.length;
    }
    const raw = await s3Raw(h, 'GET', Bucket, 'mp', { query: { partNumber: '3' } });
    assert.equal(raw.status, 206);
    assert.equal(raw.text, 'c tail');
  });

  test('part numbers beyond the object, with a Range, or out of bounds are refused with S3 codes', async () => {
    const cases: [Record<string, string>, Record<string, string>, number, string][] = [
      [{ partNumber: '4' }, {}, 400, 'InvalidPart'],
      [{ partNumber: '1' }, { range: 'bytes=0-1' }, 400, 'InvalidRequest'],
      [{ partNumber: '0' }, {}, 400, 'InvalidArgument'],
      [{ partNumber: 'x' }, {}, 400, 'InvalidArgument'],
    ];
    for (const [query, headers, status, code] of cases) {
      const raw = await s3Raw(h, 'GET', Bucket, 'mp', { query, headers });
      assert.equal(raw.status, status, raw.text);
      assert.equal(raw.code, code);
      assert.match(raw.text, /<Message>[^<]+<\/Message>/);
    }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'single', Body: 'body' }));
    const one = await s3.send(new GetObjectCommand({ Bucket, Key: 'single', PartNumber: 1 }));
    assert.equal(await one.Body!.transformToString(), 'body');
    assert.equal(one.PartsCount, undefined);
    const two = await s3Raw(h, 'GET', Bucket, 'single', { query: { partNumber: '2' } });
    assert.equal(two.status, 400);
    assert.equal(two.code, 'InvalidPart');
  });

  test("checksum mode on a part read answers the part's checksum (the SDK checks the bytes against it)", async () => {
    await upload('mp-sha', 'SHA256');
    const checking = s3Client(h);
    try {
      const got = await checking.send(
        new GetObjectCommand({ Bucket, Key: 'mp-sha', PartNumber: 2, ChecksumMode: 'ENABLED' }),
      );
      assert.equal(got.ChecksumSHA256, awsChecksumOf('sha256', bodies[1]!));
      assert.equal(got.ChecksumType, 'COMPOSITE');
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(bodies[1]!));
    } finally {
      checking.destroy();
    }
  });

  test('a retried Complete is answered like the first; other parts or an empty body are refused', async () => {
    const { UploadId, Parts, done } = await upload('retried');
    const again = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'retried', UploadId, MultipartUpload: { Parts } }),
    );
    assert.equal(again.ETag, done.ETag);
    const other = await s3Raw(h, 'POST', Bucket, 'retried', {
      query: { uploadId: UploadId },
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${Parts[0]!.ETag}</ETag></Part></CompleteMultipartUpload>`,
    });
    assert.equal(other.status, 404, other.text);
    assert.equal(other.code, 'NoSuchUpload');
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'empty' }));
    const empty = await s3Raw(h, 'POST', Bucket, 'empty', {
      query: { uploadId: created.UploadId! },
      body: '',
    });
    assert.equal(empty.status, 400, empty.text);
    assert.equal(empty.code, 'MalformedXML');
  });

  test('a copy source naming a bucket that cannot exist here is 404 NoSuchBucket in the S3 dialect', async () => {
    const raw = await s3Raw(h, 'PUT', Bucket, 'copied', {
      headers: { 'x-amz-copy-source': '/some-s3-bucket-fake/key' },
    });
    assert.equal(raw.status, 404, raw.text);
    assert.equal(raw.code, 'NoSuchBucket');
  });
});
