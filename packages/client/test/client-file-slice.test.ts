/**
 * File-slice bodies (`{ path, start, end }`): sent from disk without buffering, reopened for every
 * retry, hashed first for EnableMD5, CRC-64 checked while sent, and their file closed whatever
 * happens. Also the Python SDK's `get_presigned_download_url`.
 */
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readlink, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CosClientError, type CosConfigOptions, type CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  crcOf,
  md5Base64,
  readAll,
  recordStrayErrors,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

const stray = recordStrayErrors();

/** Descriptors of this process open on `path` (Linux /proc; undefined elsewhere). */
async function openDescriptorsOf(path: string): Promise<number | undefined> {
  if (!existsSync('/proc/self/fd')) return undefined;
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === path) count++;
  }
  return count;
}

async function noDescriptorLeft(path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const open = await openDescriptorsOf(path);
    if (open === undefined || open === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`a descriptor of ${path} is still open`);
}

describe('file-slice bodies', () => {
  let h: ClientHarness;
  let file: string;
  const Bucket = bucketName('fs');
  // 700 KiB of varied bytes: several read chunks, so a slice spans chunk boundaries.
  const content = Buffer.alloc(700 * 1024);
  for (let i = 0; i < content.length; i++) content[i] = (i * 31 + (i >> 10)) & 0xff;

  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
    file = join(h.dir, 'slice-source.bin');
    await writeFile(file, content);
  });
  after(() => h.close());

  const client = (extra: Partial<CosConfigOptions> = {}) =>
    h.newClient({ Retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
  const stored = async (Key: string) => readAll((await h.client.getObject({ Bucket, Key })).Body);

  test('putObject and uploadPart send exactly bytes [start, end) with their Content-Length', async () => {
    const c = client();
    h.proxy.reset();
    const start = 1000;
    const end = 300 * 1024 + 7;
    const put = await c.putObject({ Bucket, Key: 'slice/put', Body: { path: file, start, end } });
    const expected = content.subarray(start, end);
    assert.deepEqual(await stored('slice/put'), expected);
    assert.equal(put['x-cos-hash-crc64ecma'], crcOf(expected));
    assert.equal(h.proxy.requests[0]!.headers['content-length'], String(end - start));
    assert.equal(h.proxy.requests[0]!.headers['transfer-encoding'], undefined);

    // An empty slice is an empty object.
    await c.putObject({ Bucket, Key: 'slice/empty', Body: { path: file, start: 5, end: 5 } });
    assert.equal((await h.client.headObject({ Bucket, Key: 'slice/empty' }))['Content-Length'], 0);

    // A part from a slice of the whole file completes into the same bytes.
    const Key = 'slice/multipart';
    const { UploadId } = await c.createMultipartUpload({ Bucket, Key });
    const p1 = await c.uploadPart({
      Bucket,
      Key,
      UploadId,
      PartNumber: 1,
      Body: { path: file, start: 0, end: content.length },
    });
    assert.equal(p1['x-cos-hash-crc64ecma'], crcOf(content));
    await c.completeMultipartUpload({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: { Part: [{ PartNumber: 1, ETag: p1.ETag }] },
    });
    assert.deepEqual(await stored(Key), content);
    await noDescriptorLeft(file);
  });

  test('a reset or a 503 is retried by reopening the file; progress nets out to the slice length', async () => {
    const c = client();
    h.proxy.reset();
    h.proxy.resetNext = 1;
    h.proxy.slowDownNext = 0;
    let progress = 0;
    const r = await c.putObjectFromLocalFile({
      Bucket,
      Key: 'slice/retried',
      LocalFilePath: file,
      onUploadProgress: (n) => {
        progress += n;
      },
    });
    assert.equal(h.proxy.requests.length, 2, 'one reset, one retry');
    assert.equal(h.proxy.requests[1]!.headers['x-cos-sdk-retry'], 'true');
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(content));
    assert.equal(progress, content.length);
    assert.deepEqual(await stored('slice/retried'), content);

    h.proxy.reset();
    h.proxy.slowDownNext = 2;
    const { UploadId } = await c.createMultipartUpload({ Bucket, Key: 'slice/part-retried' });
    h.proxy.slowDownNext = 2;
    const before = h.proxy.requests.length;
    const part = await c.uploadPart({
      Bucket,
      Key: 'slice/part-retried',
      UploadId,
      PartNumber: 1,
      Body: { path: file, start: 10, end: 20_010 },
    });
    assert.equal(h.proxy.requests.length - before, 3, 'two 503 SlowDown answers, then success');
    assert.equal(part['x-cos-hash-crc64ecma'], crcOf(content.subarray(10, 20_010)));
    await c.abortMultipartUpload({ Bucket, Key: 'slice/part-retried', UploadId });
    await noDescriptorLeft(file);
  });

  test('a stream body is still sent once (the contrast with a slice)', async () => {
    const c = client();
    h.proxy.reset();
    h.proxy.resetNext = 1;
    const stream = createReadStream(file);
    const err = await rejection(
      c.putObject({ Bucket, Key: 'slice/stream', Body: stream, ContentLength: content.length }),
    );
    assert.equal((err as CosClientError).code, 'COS_NETWORK');
    assert.equal(h.proxy.requests.length, 1);
    stream.destroy(); // the caller's stream stays the caller's to close
    await noDescriptorLeft(file);
  });

  test('EnableMD5 hashes a file slice before sending it (putObjectFromLocalFile, uploadPart)', async () => {
    const c = client();
    h.proxy.reset();
    await c.putObjectFromLocalFile({ Bucket, Key: 'slice/md5', LocalFilePath: file, EnableMD5: true });
    assert.equal(h.proxy.requests[0]!.headers['content-md5'], md5Base64(content));
    const { UploadId } = await c.createMultipartUpload({ Bucket, Key: 'slice/md5-part' });
    h.proxy.reset();
    await c.uploadPart({
      Bucket,
      Key: 'slice/md5-part',
      UploadId,
      PartNumber: 1,
      Body: { path: file, start: 3, end: 4099 },
      EnableMD5: true,
    });
    assert.equal(h.proxy.requests[0]!.headers['content-md5'], md5Base64(content.subarray(3, 4099)));
    // The MD5 is sent and signed; a given ContentMD5 wins over the computed one, and the server
    // refuses a wrong one — proof that the header reaches it.
    const wrong = await rejection(
      c.putObjectFromLocalFile({
        Bucket,
        Key: 'slice/md5-wrong',
        LocalFilePath: file,
        EnableMD5: true,
        ContentMD5: md5Base64('something else'),
      }),
    );
    assert.equal((wrong as CosServiceError).errorCode, 'BadDigest');
    await c.abortMultipartUpload({ Bucket, Key: 'slice/md5-part', UploadId });
  });

  test('CRC-64 of a slice is computed while it is sent and checked', async () => {
    const c = client();
    h.proxy.reset();
    h.proxy.crc64 = '42';
    const err = await rejection(
      c.putObject({ Bucket, Key: 'slice/crc', Body: { path: file, start: 0, end: 4096 } }),
    );
    assert.ok(err instanceof CosClientError);
    assert.equal(err.code, 'COS_CHECKSUM_MISMATCH');
    assert.match(err.message, new RegExp(crcOf(content.subarray(0, 4096))));
    const unchecked = client({ EnableCRC: false });
    await unchecked.putObject({ Bucket, Key: 'slice/crc', Body: { path: file, start: 0, end: 4096 } });
    h.proxy.crc64 = undefined;
  });

  test('a slice past the end of the file fails with COS_FILE_READ and stores nothing', async () => {
    const c = client();
    h.proxy.reset();
    const err = await rejection(
      c.putObject({ Bucket, Key: 'slice/short', Body: { path: file, start: 0, end: content.length + 10 } }),
    );
    assert.ok(err instanceof CosClientError, String(err));
    assert.equal(err.code, 'COS_FILE_READ');
    assert.match(err.message, /slice-source\.bin/);
    assert.equal(h.proxy.requests.length, 1, 'a local read failure is not retried');
    const missing = await rejection(c.headObject({ Bucket, Key: 'slice/short' }));
    assert.equal((missing as CosServiceError).statusCode, 404);

    h.proxy.reset();
    const gone = await rejection(
      c.putObject({ Bucket, Key: 'slice/gone', Body: { path: join(h.dir, 'nope.bin'), start: 0, end: 3 } }),
    );
    assert.equal((gone as CosClientError).code, 'COS_FILE_READ');
    assert.match(gone.message, /ENOENT/);
    await noDescriptorLeft(file);
  });

  test('bad slice offsets are refused before any request', async () => {
    const c = client();
    h.proxy.reset();
    for (const Body of [
      { path: file, start: 10, end: 5 },
      { path: file, start: -1, end: 5 },
      { path: file, start: 0.5, end: 5 },
      { path: '', start: 0, end: 1 },
    ]) {
      const err = await rejection(c.putObject({ Bucket, Key: 'slice/bad', Body }));
      assert.equal((err as CosClientError).code, 'COS_INVALID_ARGUMENT', JSON.stringify(Body));
      assert.match(err.message, /start|path/);
    }
    const { UploadId } = await h.client.createMultipartUpload({ Bucket, Key: 'slice/bad' });
    const part = await rejection(
      c.uploadPart({
        Bucket: 'Bad_Bucket',
        Key: 'slice/bad',
        UploadId,
        PartNumber: 1,
        Body: { path: file, start: 0, end: 1 },
        EnableMD5: true,
      }),
    );
    assert.equal((part as CosClientError).code, 'COS_INVALID_ARGUMENT');
    assert.equal(h.proxy.requests.length, 0);
    await h.client.abortMultipartUpload({ Bucket, Key: 'slice/bad', UploadId });
  });

  test('getPresignedDownloadUrl: a GET URL plain http.get can fetch', async () => {
    await h.client.putObject({ Bucket, Key: 'dl/文件 a+b.txt', Body: 'presigned download' });
    const url = await h.client.getPresignedDownloadUrl({ Bucket, Key: 'dl/文件 a+b.txt', Expired: 60 });
    const u = new URL(url);
    assert.equal(u.host, `${Bucket}.cos.ap-guangzhou.myqcloud.com`);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      httpGet(
        {
          host: '127.0.0.1',
          port: h.server.port,
          path: `${u.pathname}${u.search}`,
          headers: { host: u.host },
        },
        (res) => {
          readAll(res).then((b) => resolve({ status: res.statusCode ?? 0, text: b.toString() }), reject);
        },
      ).on('error', reject);
    });
    assert.deepEqual(body, { status: 200, text: 'presigned download' });
  });

  test('no uncaught exceptions or unhandled rejections were seen', () => {
    assert.deepEqual(stray, []);
  });
});
