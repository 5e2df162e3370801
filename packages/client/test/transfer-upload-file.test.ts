/** uploadFile against coskit serve: thresholds, headers, progress, failures, cancellation, resume in-process. */
import assert from 'node:assert/strict';
import { open, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CosClientError } from '../src/index.js';
import {
  crcOf,
  MiB,
  readObject,
  startTransferHarness,
  type TransferHarness,
} from './support/transfer-harness.js';

describe('uploadFile', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness();
  });
  after(() => h.close());
  const cpDir = () => join(h.dir, 'checkpoints');

  test('threshold edges: 0 bytes, threshold − 1 / + 0 go whole; + 1, exact parts and a 1-byte last part go multipart', async () => {
    const threshold = 2 * MiB;
    const cases: [string, number, boolean][] = [
      ['empty', 0, false],
      ['below', threshold - 1, false],
      ['at', threshold, false],
      ['above', threshold + 1, true],
      ['exact3', 3 * MiB, true],
      ['lastbyte', 3 * MiB + 1, true],
    ];
    for (const [name, size, multipart] of cases) {
      const { path, bytes } = await h.file(name, size);
      const r = await h.client.uploadFile({
        Bucket: h.bucket,
        Key: `edges/${name}`,
        LocalFilePath: path,
        PartSize: 1,
        MAXThread: 3,
        MultipartThreshold: threshold,
        CheckpointDir: cpDir(),
      });
      assert.equal(r.UploadId !== undefined, multipart, `${name}: multipart`);
      if (multipart) assert.equal(r.partsSent, Math.ceil(size / MiB), `${name}: parts`);
      assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes), `${name}: CRC-64`);
      assert.ok((await readObject(h.client, h.bucket, `edges/${name}`)).equals(bytes), `${name}: bytes`);
    }
    assert.deepEqual(await readdir(cpDir()), [], 'finished uploads leave no checkpoint');
  });

  test("the seed's explicit PartSize=1, MAXThread=5 and every header parameter reach the object", async () => {
    for (const size of [5 * MiB + 3, 1000]) {
      const { path } = await h.file(`headers-${size}`, size);
      const Key = `headers/${size}`;
      await h.client.uploadFile({
        Bucket: h.bucket,
        Key,
        LocalFilePath: path,
        PartSize: 1,
        MAXThread: 5,
        MultipartThreshold: MiB,
        EnableMD5: true,
        ACL: 'private',
        GrantFullControl: 'id="100000000001"',
        GrantRead: 'id="100000000002"',
        StorageClass: 'STANDARD_IA',
        Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
        CacheControl: 'max-age=300',
        ContentType: 'text/x-test',
        ContentDisposition: 'attachment; filename="x"',
        ContentEncoding: 'identity',
        ContentLanguage: 'zh-CN',
        Metadata: { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' },
        TrafficLimit: '838860800',
        CheckpointDir: cpDir(),
      });
      const head = await h.client.headObject({ Bucket: h.bucket, Key });
      assert.equal(head['Content-Length'], size);
      assert.equal(head['Content-Type'], 'text/x-test');
      assert.equal(head['x-cos-storage-class'], 'STANDARD_IA');
      assert.deepEqual(head.Metadata, { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' });
      assert.equal(head.headers['cache-control'], 'max-age=300');
      assert.equal(head.headers['content-disposition'], 'attachment; filename="x"');
      assert.equal(head.headers['content-encoding'], 'identity');
      assert.equal(head.headers['content-language'], 'zh-CN');
      assert.equal(head.headers['expires'], 'Wed, 21 Oct 2037 07:28:00 GMT');
    }
  });

  test('progress: counted as bytes go (more calls than parts), monotonic, exactly one final 100 %', async () => {
    const size = 6 * MiB + 5;
    const { path } = await h.file('progress', size);
    const calls: [number, number][] = [];
    await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'progress',
      LocalFilePath: path,
      PartSize: 2,
      MAXThread: 2,
      MultipartThreshold: MiB,
      ProgressInterval: 0,
      onProgress: (a, b) => calls.push([a, b]),
      CheckpointDir: cpDir(),
    });
    assert.ok(calls.length > 4, `only ${calls.length} progress calls for 4 parts`);
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i]![0] >= calls[i - 1]![0], 'monotonic');
    assert.ok(calls.every(([, total]) => total === size));
    assert.equal(calls.filter(([done]) => done === size).length, 1);
    assert.deepEqual(calls.at(-1), [size, size]);
  });

  test('a part that always fails: a CosClientError naming the part and UploadId, no object, then the retry loop resumes', async () => {
    const { path, bytes } = await h.file('failing', 5 * MiB);
    h.proxy.failParts.add(3);
    let error: CosClientError | undefined;
    try {
      await h.client.uploadFile({
        Bucket: h.bucket,
        Key: 'failing',
        LocalFilePath: path,
        PartSize: 1,
        MAXThread: 2,
        MultipartThreshold: MiB,
        CheckpointDir: cpDir(),
      });
    } catch (err) {
      error = err as CosClientError;
    } finally {
      h.proxy.failParts.clear();
    }
    assert.ok(error, 'uploadFile must fail');
    assert.equal(error.code, 'COS_PART_FAILED');
    assert.match(error.message, /part 3/);
    const uploadId = (error as unknown as { UploadId: string }).UploadId;
    assert.ok(uploadId, 'the error carries the UploadId');
    await assert.rejects(h.client.headObject({ Bucket: h.bucket, Key: 'failing' }), { statusCode: 404 });
    const listed = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: 'failing' });
    assert.deepEqual(
      listed.Upload.map((u) => u.UploadId),
      [uploadId],
      'the upload stays resumable',
    );
    // The seed's retry loop: call again; only the missing parts go.
    const before = h.proxy.partBytes;
    const r = await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'failing',
      LocalFilePath: path,
      PartSize: 1,
      MAXThread: 2,
      MultipartThreshold: MiB,
      CheckpointDir: cpDir(),
    });
    assert.equal(r.UploadId, uploadId);
    assert.ok(r.partsSent < 5, `re-sent ${r.partsSent} parts`);
    assert.ok(
      h.proxy.partBytes - before <= 5 * MiB - r.partsSent,
      'bytes re-sent are only the missing parts',
    );
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
  });

  test('AbortOnFailure aborts instead of leaving the upload', async () => {
    const { path } = await h.file('abort-on-failure', 3 * MiB);
    h.proxy.failParts.add(2);
    try {
      await assert.rejects(
        h.client.uploadFile({
          Bucket: h.bucket,
          Key: 'aof',
          LocalFilePath: path,
          PartSize: 1,
          MultipartThreshold: MiB,
          AbortOnFailure: true,
          CheckpointDir: cpDir(),
        }),
        { code: 'COS_PART_FAILED' },
      );
    } finally {
      h.proxy.failParts.clear();
    }
    const listed = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: 'aof' });
    assert.deepEqual(listed.Upload, []);
  });

  test('cancellation: in-flight requests stop, the checkpoint stays valid, the next call finishes', async () => {
    const { path, bytes } = await h.file('cancel', 8 * MiB);
    const controller = new AbortController();
    await assert.rejects(
      h.client.uploadFile({
        Bucket: h.bucket,
        Key: 'cancel',
        LocalFilePath: path,
        PartSize: 1,
        MAXThread: 2,
        MultipartThreshold: MiB,
        TrafficLimit: 8 * MiB * 8, // 8 MiB/s per request: slow enough to cancel mid-way
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > 3 * MiB) controller.abort();
        },
        signal: controller.signal,
        CheckpointDir: cpDir(),
      }),
      (err: CosClientError) => err.code === 'COS_ABORTED',
    );
    assert.equal((await readdir(cpDir())).length, 1, 'the checkpoint is kept');
    const r = await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'cancel',
      LocalFilePath: path,
      PartSize: 1,
      MAXThread: 2,
      MultipartThreshold: MiB,
      CheckpointDir: cpDir(),
    });
    assert.ok(r.partsSent < 8, `resumed: ${r.partsSent} parts sent`);
    assert.ok((await readObject(h.client, h.bucket, 'cancel')).equals(bytes));
  });

  test('a file past 10 000 parts of the requested size grows its parts (sparse 10 GiB + 1 MiB file)', async () => {
    const path = join(h.dir, 'sparse.bin');
    await writeFile(path, '');
    await truncate(path, 10_001 * MiB);
    const controller = new AbortController();
    await assert.rejects(
      h.client.uploadFile({
        Bucket: h.bucket,
        Key: 'sparse',
        LocalFilePath: path,
        PartSize: 1,
        MAXThread: 1,
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > 0) controller.abort();
        },
        signal: controller.signal,
        CheckpointDir: cpDir(),
      }),
    );
    const names = (await readdir(cpDir())).filter((n) => n.endsWith('.json'));
    const checkpoints = await Promise.all(
      names.map(async (n) => {
        const f = await open(join(cpDir(), n));
        try {
          return JSON.parse(await f.readFile('utf8')) as { key: string; partSize: number; partCount: number };
        } finally {
          await f.close();
        }
      }),
    );
    const cp = checkpoints.find((c) => c.key === 'sparse');
    assert.ok(cp, 'a checkpoint for the sparse upload');
    assert.equal(cp.partSize, 2 * MiB);
    assert.equal(cp.partCount, 5001);
  });

  test('bad arguments fail before any request', async () => {
    const before = h.proxy.putBytes;
    const { path } = await h.file('args', 10);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ PartSize: 0 }, /PartSize/],
      [{ PartSize: 6000 }, /PartSize/],
      [{ MAXThread: 0 }, /MAXThread/],
      [{ TrafficLimit: 1 }, /TrafficLimit/],
      [{ Metadata: { author: 'x' } }, /x-cos-meta-/],
      [{ LocalFilePath: join(h.dir, 'missing') }, /cannot be read/],
      [{ Bucket: 'Bad_Bucket' }, /Bucket/],
    ];
    for (const [override, message] of bad) {
      await assert.rejects(
        h.client.uploadFile({ Bucket: h.bucket, Key: 'args', LocalFilePath: path, ...override } as never),
        (err: CosClientError) => err.code === 'COS_INVALID_ARGUMENT' && message.test(err.message),
        JSON.stringify(override),
      );
    }
    assert.equal(h.proxy.putBytes, before);
  });
});
