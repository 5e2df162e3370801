/**
 * Server-side encryption through @coskit/client against coskit serve (issue #11 item 7): SSE-COS
 * and SSE-C on single calls, an SSE-C key on every part of uploadFile's multipart upload and every
 * request of downloadFile, copies with a source key, and bad keys refused before any request.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CosClientError, CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  readAll,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

let h: ClientHarness;
let dir: string;
const Bucket = bucketName('sse');
const Region = 'ap-guangzhou';
const MiB = 1024 * 1024;
const KEY = randomBytes(32).toString('base64');
const OTHER = randomBytes(32).toString('base64');

before(async () => {
  h = await startClientHarness();
  dir = await mkdtemp(join(tmpdir(), 'coskit-client-sse-'));
  await h.proxied.createBucket({ Bucket });
});
after(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('single calls', () => {
  test('SSE-COS: putObject echoes it, headObject and getObject show it', async () => {
    const put = await h.proxied.putObject({
      Bucket,
      Key: 'cos',
      Body: 'sealed',
      ServerSideEncryption: 'AES256',
    });
    assert.equal(put.headers['x-cos-server-side-encryption'], 'AES256');
    const head = await h.proxied.headObject({ Bucket, Key: 'cos' });
    assert.equal(head['x-cos-server-side-encryption'], 'AES256');
    assert.equal(
      (await readAll((await h.proxied.getObject({ Bucket, Key: 'cos' })).Body)).toString(),
      'sealed',
    );
  });

  test('SSE-C: the key alone is enough (algorithm and MD5 filled in); reads need it', async () => {
    await h.proxied.putObject({ Bucket, Key: 'c', Body: 'customer sealed', SSECustomerKey: KEY });
    const sent = h.proxy.requests.at(-1)!;
    assert.equal(sent.headers['x-cos-server-side-encryption-customer-algorithm'], 'AES256');
    const md5 = createHash('md5').update(Buffer.from(KEY, 'base64')).digest('base64');
    assert.equal(sent.headers['x-cos-server-side-encryption-customer-key-md5'], md5);
    const head = await h.proxied.headObject({ Bucket, Key: 'c', SSECustomerKey: KEY });
    assert.equal(head['x-cos-server-side-encryption-customer-algorithm'], 'AES256');
    assert.equal(head['x-cos-server-side-encryption-customer-key-MD5'], md5);
    const got = await h.proxied.getObject({ Bucket, Key: 'c', SSECustomerKey: KEY, Range: 'bytes=9-14' });
    assert.equal((await readAll(got.Body)).toString(), 'sealed');
    const without = await rejection(h.proxied.getObject({ Bucket, Key: 'c' }));
    assert.ok(without instanceof CosServiceError);
    assert.equal(without.statusCode, 400);
    assert.equal(without.errorCode, 'InvalidRequest');
    const wrong = await rejection(h.proxied.getObject({ Bucket, Key: 'c', SSECustomerKey: OTHER }));
    assert.ok(wrong instanceof CosServiceError);
    assert.equal(wrong.statusCode, 403);
  });

  test('copyObject: an SSE-C source with CopySourceSSECustomerKey into an SSE-COS target', async () => {
    await h.proxied.putObject({ Bucket, Key: 'cp/src', Body: 'copy me', SSECustomerKey: KEY });
    const refused = await rejection(
      h.proxied.copyObject({ Bucket, Key: 'cp/dst', CopySource: { Bucket, Region, Key: 'cp/src' } }),
    );
    assert.ok(refused instanceof CosServiceError);
    assert.equal(refused.statusCode, 400);
    const copy = await h.proxied.copyObject({
      Bucket,
      Key: 'cp/dst',
      CopySource: { Bucket, Region, Key: 'cp/src' },
      CopySourceSSECustomerKey: KEY,
      ServerSideEncryption: 'AES256',
    });
    assert.equal(copy.headers['x-cos-server-side-encryption'], 'AES256');
    assert.equal(
      (await readAll((await h.proxied.getObject({ Bucket, Key: 'cp/dst' })).Body)).toString(),
      'copy me',
    );
  });

  test('uploadPartCopy: source key and target upload key', async () => {
    const body = randomBytes(MiB + 10);
    await h.proxied.putObject({ Bucket, Key: 'upc/src', Body: body, SSECustomerKey: KEY });
    const { UploadId } = await h.proxied.createMultipartUpload({
      Bucket,
      Key: 'upc/dst',
      SSECustomerKey: OTHER,
    });
    const part = await h.proxied.uploadPartCopy({
      Bucket,
      Key: 'upc/dst',
      UploadId,
      PartNumber: 1,
      CopySource: { Bucket, Region, Key: 'upc/src' },
      CopySourceSSECustomerKey: KEY,
      SSECustomerKey: OTHER,
    });
    await h.proxied.completeMultipartUpload({
      Bucket,
      Key: 'upc/dst',
      UploadId,
      MultipartUpload: { Part: [{ PartNumber: 1, ETag: part.ETag }] },
    });
    const got = await h.proxied.getObject({ Bucket, Key: 'upc/dst', SSECustomerKey: OTHER });
    assert.ok((await readAll(got.Body)).equals(body));
  });

  test('a bad key is refused before any request, saying what to change', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { SSECustomerKey: randomBytes(16).toString('base64') },
        /SSECustomerKey must be the base64 of a 32-byte/,
      ],
      [
        { SSECustomerKey: KEY, SSECustomerKeyMD5: 'AAAAAAAAAAAAAAAAAAAAAA==' },
        /SSECustomerKeyMD5 is not the MD5/,
      ],
      [{ SSECustomerKey: KEY, SSECustomerAlgorithm: 'AES128' }, /SSECustomerAlgorithm must be AES256/],
      [{ SSECustomerAlgorithm: 'AES256' }, /need SSECustomerKey/],
      [{ CopySourceSSECustomerKey: 'short' }, /CopySourceSSECustomerKey must be/],
    ];
    for (const [params, message] of cases) {
      const before = h.proxy.requests.length;
      const err = await rejection(h.proxied.headObject({ Bucket, Key: 'c', ...params }));
      assert.ok(err instanceof CosClientError, `${JSON.stringify(params)}: ${String(err)}`);
      assert.equal(err.code, 'COS_INVALID_ARGUMENT');
      assert.match(err.message, message);
      assert.equal(h.proxy.requests.length, before, 'no request may be sent');
    }
  });
});

describe('transfers', () => {
  test('uploadFile multipart with SSE-C sends the key with Initiate and every part; downloadFile needs it', async () => {
    const local = join(dir, 'big.bin');
    const content = randomBytes(3 * MiB + 123);
    await writeFile(local, content);
    const before = h.proxy.requests.length;
    const r = await h.proxied.uploadFile({
      Bucket,
      Key: 'big.bin',
      LocalFilePath: local,
      PartSize: 1,
      MultipartThreshold: MiB,
      CheckpointDir: join(dir, 'cp'),
      SSECustomerKey: KEY,
    });
    assert.ok(r.UploadId);
    const sent = h.proxy.requests.slice(before);
    const parts = sent.filter((q) => q.method === 'PUT' && q.url.includes('partNumber='));
    assert.equal(parts.length, 4);
    const initiate = sent.filter((q) => q.method === 'POST' && q.url.includes('uploads'));
    for (const q of [...parts, ...initiate]) {
      assert.equal(q.headers['x-cos-server-side-encryption-customer-key'], KEY, `${q.method} ${q.url}`);
    }

    const dest = join(dir, 'down.bin');
    const refused = await rejection(
      h.proxied.downloadFile({ Bucket, Key: 'big.bin', DestFilePath: dest, CheckpointDir: join(dir, 'cp') }),
    );
    assert.ok(refused instanceof CosServiceError);
    assert.equal(refused.statusCode, 400);
    const down = await h.proxied.downloadFile({
      Bucket,
      Key: 'big.bin',
      DestFilePath: dest,
      PartSize: 1,
      CheckpointDir: join(dir, 'cp'),
      SSECustomerKey: KEY,
    });
    assert.equal(down.size, content.length);
    assert.ok((await readFile(dest)).equals(content));
  });

  test('uploadFile SkipExisting HEADs an SSE-C object with its key', async () => {
    const local = join(dir, 'small.bin');
    await writeFile(local, 'same bytes');
    await h.proxied.uploadFile({ Bucket, Key: 'small.bin', LocalFilePath: local, SSECustomerKey: KEY });
    const again = await h.proxied.uploadFile({
      Bucket,
      Key: 'small.bin',
      LocalFilePath: local,
      SSECustomerKey: KEY,
      SkipExisting: true,
    });
    assert.equal(again.skipped, true);
  });
});
