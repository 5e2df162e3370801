/**
 * S3 multipart checksums against the real server: CreateMultipartUpload with `ChecksumAlgorithm` (and
 * `ChecksumType`), parts uploaded with `@aws-sdk/client-s3` carrying the SDK's checksum, ListParts
 * listing them, Complete checking the listed ones and storing the object's (COMPOSITE: checksum of the
 * part digests + `-N`; FULL_OBJECT: the CRC of the whole object), HEAD/GET with checksum mode returning
 * it; `@aws-sdk/lib-storage`'s Upload; the refusals with S3's codes; Upload Part - Copy's checksum.
 * Expected values are computed here from the bytes, independently of the server's combine.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type ChecksumAlgorithm,
  type ChecksumType,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { awsChecksumOf, LIMITS } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { type S3Raw, s3Client, s3Raw } from './support/s3.js';

type Name = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';
const field = (name: Name) => `Checksum${name.toUpperCase()}`;
const read = (o: unknown, key: string) => (o as Record<string, unknown>)[key];

/** What S3 stores for these parts: computed from the bytes, not from the server's part values. */
function expectedChecksum(name: Name, type: ChecksumType, parts: readonly Buffer[]): string {
  if (type === 'FULL_OBJECT') return awsChecksumOf(name, Buffer.concat(parts))!;
  const digests = parts.map((p) => Buffer.from(awsChecksumOf(name, p)!, 'base64'));
  return `${awsChecksumOf(name, Buffer.concat(digests))}-${parts.length}`;
}

/** Two parts: the smallest size a non-last part may have, then a short last part. */
const partsOf = (seed: number) => [
  Buffer.alloc(LIMITS.minPartSize, seed),
  Buffer.from(`the last part ${seed} `.repeat(50)),
];

function assertS3Error(raw: S3Raw, status: number, code: string, message?: RegExp): void {
  assert.equal(raw.status, status, raw.text);
  assert.equal(raw.code, code, raw.text);
  assert.match(raw.text, /<Message>[^<]+<\/Message>/);
  assert.match(raw.text, /<RequestId>[^<]+<\/RequestId>/);
  if (message) assert.match(raw.text, message);
}

const completeXml = (parts: { n: number; etag: string; sums?: Record<string, string> }[]) =>
  `<CompleteMultipartUpload>${parts
    .map(
      (p) =>
        `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag>${Object.entries(p.sums ?? {})
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')}</Part>`,
    )
    .join('')}</CompleteMultipartUpload>`;

describe('S3 multipart checksums', () => {
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

  const combos: [ChecksumAlgorithm, Name, ChecksumType | undefined, ChecksumType][] = [
    ['CRC32', 'crc32', undefined, 'COMPOSITE'],
    ['CRC32', 'crc32', 'FULL_OBJECT', 'FULL_OBJECT'],
    ['CRC32C', 'crc32c', 'COMPOSITE', 'COMPOSITE'],
    ['CRC32C', 'crc32c', 'FULL_OBJECT', 'FULL_OBJECT'],
    ['CRC64NVME', 'crc64nvme', undefined, 'FULL_OBJECT'],
    ['SHA1', 'sha1', undefined, 'COMPOSITE'],
    ['SHA256', 'sha256', 'COMPOSITE', 'COMPOSITE'],
  ];
  combos.forEach(([ChecksumAlgorithm, name, asked, type], i) => {
    test(`${ChecksumAlgorithm} ${asked ?? '(default type)'}: parts, ListParts, Complete, HEAD/GET give the ${type} checksum`, async () => {
      const Key = `mp/${name}-${type}`;
      const created = await s3.send(
        new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm, ChecksumType: asked }),
      );
      assert.equal(created.ChecksumAlgorithm, ChecksumAlgorithm);
      assert.equal(created.ChecksumType, type);
      const UploadId = created.UploadId;
      const bodies = partsOf(i + 1);
      const uploaded = [];
      for (const [n, Body] of bodies.entries()) {
        const part = await s3.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: n + 1, Body, ChecksumAlgorithm }),
        );
        assert.equal(read(part, field(name)), awsChecksumOf(name, Body), 'the part echoes its checksum');
        uploaded.push({ PartNumber: n + 1, ETag: part.ETag, [field(name)]: read(part, field(name)) });
      }
      const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
      assert.equal(listed.ChecksumAlgorithm, ChecksumAlgorithm);
      assert.equal(listed.ChecksumType, type);
      assert.deepEqual(
        listed.Parts?.map((p) => read(p, field(name))),
        bodies.map((b) => awsChecksumOf(name, b)),
      );
      const expected = expectedChecksum(name, type, bodies);
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: uploaded } }),
      );
      assert.equal(read(done, field(name)), expected);
      assert.equal(done.ChecksumType, type);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      assert.equal(read(head, field(name)), expected);
      assert.equal(head.ChecksumType, type);
      assert.equal(read(await s3.send(new HeadObjectCommand({ Bucket, Key })), field(name)), undefined);
      // A FULL_OBJECT value is checked by the SDK against the streamed body; a composite one is not.
      const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      assert.equal(read(got, field(name)), expected);
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(bodies)));
    });
  });

  test('lib-storage Upload: ChecksumAlgorithm SHA256 gives a composite object, the default a CRC32 composite one', async () => {
    const Body = Buffer.concat([Buffer.alloc(5 * 1024 * 1024, 3), Buffer.alloc(70_000, 4)]);
    const slices = [Body.subarray(0, 5 * 1024 * 1024), Body.subarray(5 * 1024 * 1024)];
    for (const [ChecksumAlgorithm, name] of [
      ['SHA256', 'sha256'],
      [undefined, 'crc32'],
    ] as const) {
      const Key = `lib/${name}`;
      await new Upload({
        client: s3,
        params: { Bucket, Key, Body, ...(ChecksumAlgorithm ? { ChecksumAlgorithm } : {}) },
        partSize: 5 * 1024 * 1024,
        queueSize: 2,
      }).done();
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      assert.equal(read(head, field(name)), expectedChecksum(name, 'COMPOSITE', slices));
      assert.equal(head.ChecksumType, 'COMPOSITE');
      assert.equal(head.ContentLength, Body.length);
    }
  });

  test('CreateMultipartUpload refuses unknown or disallowed algorithm/type pairs with InvalidRequest', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'x-amz-checksum-algorithm': 'MD4' }, /unsupported/],
      [{ 'x-amz-checksum-type': 'COMPOSITE' }, /only be used with the x-amz-checksum-algorithm/],
      [{ 'x-amz-checksum-algorithm': 'SHA1', 'x-amz-checksum-type': 'FULL_OBJECT' }, /FULL_OBJECT/],
      [{ 'x-amz-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-type': 'COMPOSITE' }, /COMPOSITE/],
      [{ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'WHOLE' }, /x-amz-checksum-type/],
    ];
    for (const [headers, message] of cases) {
      const raw = await s3Raw(h, 'POST', Bucket, 'mp/refused', { query: { uploads: '' }, headers });
      assertS3Error(raw, 400, 'InvalidRequest', message);
    }
    const listed = await s3Raw(h, 'GET', Bucket, '', { query: { uploads: '' } });
    assert.doesNotMatch(listed.text, /mp\/refused/, 'no upload was created');
  });

  test('parts and Complete: what S3 refuses is refused with its code, and the upload stays usable', async () => {
    const Key = 'mp/refusals';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }),
    );
    const query = (n: number) => ({ partNumber: String(n), uploadId: UploadId! });
    const bodies = partsOf(40);
    // A composite upload's part must carry its algorithm's checksum.
    assertS3Error(
      await s3Raw(h, 'PUT', Bucket, Key, { query: query(1), body: bodies[0] }),
      400,
      'InvalidRequest',
      /expected checksum Type: sha256, actual checksum Type: null/,
    );
    assertS3Error(
      await s3Raw(h, 'PUT', Bucket, Key, {
        query: query(1),
        body: bodies[0],
        headers: { 'x-amz-checksum-crc32': awsChecksumOf('crc32', bodies[0]!)! },
      }),
      400,
      'InvalidRequest',
      /actual checksum Type: crc32/,
    );
    const etags: string[] = [];
    for (const [n, Body] of bodies.entries()) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: n + 1,
          Body,
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      etags.push(part.ETag!);
    }
    const sums = bodies.map((b) => awsChecksumOf('sha256', b)!);
    const complete = (body: string, headers: Record<string, string> = {}) =>
      s3Raw(h, 'POST', Bucket, Key, { query: { uploadId: UploadId! }, body, headers });
    const listed = (over: Partial<Record<number, Record<string, string>>> = {}) =>
      completeXml(
        etags.map((etag, i) => ({ n: i + 1, etag, sums: over[i] ?? { ChecksumSHA256: sums[i]! } })),
      );
    assertS3Error(
      await complete(listed({ 1: {} })),
      400,
      'InvalidRequest',
      /created using a sha256 checksum\. The complete request must include the checksum for each part\. It was missing for part 2/,
    );
    assertS3Error(await complete(listed({ 0: { ChecksumSHA256: sums[1]! } })), 400, 'InvalidPart');
    assertS3Error(
      await complete(listed({ 0: { ChecksumSHA256: sums[0]!, ChecksumCRC32: 'AAAAAA==' } })),
      400,
      'BadDigest',
      /crc32 you specified for part 1/,
    );
    assertS3Error(await complete(listed(), { 'x-amz-checksum-sha256': sums[0]! }), 400, 'BadDigest');
    assertS3Error(await complete(listed(), { 'x-amz-checksum-type': 'FULL_OBJECT' }), 400, 'InvalidRequest');
    assertS3Error(await complete(listed(), { 'x-amz-checksum-crc32': 'AAAAAA==' }), 400, 'InvalidRequest');
    // Nothing was created, and the upload still completes with the right list and expected value.
    assert.equal((await s3Raw(h, 'HEAD', Bucket, Key)).status, 404);
    const expected = expectedChecksum('sha256', 'COMPOSITE', bodies);
    const ok = await complete(listed(), {
      'x-amz-checksum-sha256': expected,
      'x-amz-checksum-type': 'COMPOSITE',
    });
    assert.equal(ok.status, 200, ok.text);
    assert.match(
      ok.text,
      new RegExp(`<ChecksumSHA256>${expected.replace(/[+/]/g, '\\$&')}</ChecksumSHA256>`),
    );
    assert.match(ok.text, /<ChecksumType>COMPOSITE<\/ChecksumType>/);
  });

  test('FULL_OBJECT: a part sent without a checksum gets one computed by the server; Complete still links the parts', async () => {
    const Key = 'mp/computed';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key,
        ChecksumAlgorithm: 'CRC32C',
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    const bodies = partsOf(50);
    const etags: string[] = [];
    for (const [n, body] of bodies.entries()) {
      const raw = await s3Raw(h, 'PUT', Bucket, Key, {
        query: { partNumber: String(n + 1), uploadId: UploadId! },
        body,
      });
      assert.equal(raw.status, 200, raw.text);
      assert.equal(raw.headers['x-amz-checksum-crc32c'], awsChecksumOf('crc32c', body));
      etags.push(String(raw.headers.etag));
    }
    const blobs = async () =>
      (await readdir(join(h.dataDir, 'blobs'), { recursive: true, withFileTypes: true })).filter((e) =>
        e.isFile(),
      ).length;
    const before = await blobs();
    const done = await s3Raw(h, 'POST', Bucket, Key, {
      query: { uploadId: UploadId! },
      body: completeXml(etags.map((etag, i) => ({ n: i + 1, etag }))),
      headers: { 'x-amz-checksum-crc32c': awsChecksumOf('crc32c', Buffer.concat(bodies))! },
    });
    assert.equal(done.status, 200, done.text);
    assert.equal(await blobs(), before, 'Complete wrote no blob: the object is its parts');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC32C, awsChecksumOf('crc32c', Buffer.concat(bodies)));
    assert.equal(head.ChecksumType, 'FULL_OBJECT');
  });

  test('Upload Part - Copy into an upload with a checksum answers and keeps the copied range’s checksum', async () => {
    const source = Buffer.from('copied bytes, '.repeat(100_000));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'mp/source', Body: source }));
    const Key = 'mp/copied';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }),
    );
    const range = source.subarray(0, LIMITS.minPartSize);
    const copied = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/mp/source`,
        CopySourceRange: `bytes=0-${range.length - 1}`,
      }),
    );
    assert.equal(copied.CopyPartResult?.ChecksumCRC32, awsChecksumOf('crc32', range));
    const last = Buffer.from('and a last part');
    const part2 = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: last, ChecksumAlgorithm: 'CRC32' }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            {
              PartNumber: 1,
              ETag: copied.CopyPartResult?.ETag,
              ChecksumCRC32: copied.CopyPartResult?.ChecksumCRC32,
            },
            { PartNumber: 2, ETag: part2.ETag, ChecksumCRC32: part2.ChecksumCRC32 },
          ],
        },
      }),
    );
    assert.equal(done.ChecksumCRC32, expectedChecksum('crc32', 'COMPOSITE', [range, last]));
  });
});
