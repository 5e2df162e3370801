/** uploadDirectory (the seed's batch upload) and uploadStream (bodies of unknown length). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  crcOf,
  MiB,
  readObject,
  startTransferHarness,
  type TransferHarness,
} from './support/transfer-harness.js';

describe('uploadDirectory and uploadStream', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness();
  });
  after(() => h.close());

  test('a tree with nested dirs, unicode names and empty files maps to POSIX keys under Prefix', async () => {
    const root = join(h.dir, 'tree');
    const files: Record<string, Buffer> = {
      'a.txt': randomBytes(10),
      'sub/b.bin': randomBytes(3 * MiB + 5),
      'sub/deeper/c.txt': randomBytes(100),
      '文件夹/空.txt': Buffer.alloc(0),
      'sp ace+plus.txt': randomBytes(7),
    };
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(join(root, rel, '..'), { recursive: true });
      await writeFile(join(root, rel), bytes);
    }
    const finished: string[] = [];
    const progress: number[] = [];
    const started: string[] = [];
    const perFile = new Map<string, [number, number][]>();
    const r = await h.client.uploadDirectory({
      Bucket: h.bucket,
      LocalDir: root,
      Prefix: 'backup/',
      PartSize: 1,
      MultipartThreshold: MiB,
      ProgressInterval: 0,
      onProgress: (done) => progress.push(done),
      onFileFinish: (err, f) => finished.push(`${f.status}:${f.key}${err ? `:${err.message}` : ''}`),
      onFileStart: (f) => started.push(f.key),
      onFileProgress: (f, done, total) => perFile.set(f.key, [...(perFile.get(f.key) ?? []), [done, total]]),
      CheckpointDir: join(h.dir, 'cp'),
    });
    assert.equal(r.success_all, true);
    assert.deepEqual(
      started.sort(),
      Object.keys(files)
        .map((k) => `backup/${k}`)
        .sort(),
    );
    for (const [rel, bytes] of Object.entries(files)) {
      const calls = perFile.get(`backup/${rel}`) ?? [];
      assert.deepEqual(
        calls.at(-1),
        [bytes.length, bytes.length],
        `${rel}: per-file progress ends at its size`,
      );
    }
    assert.deepEqual(r.failed, []);
    assert.equal(r.succeeded.length, 5);
    assert.deepEqual(
      finished.sort(),
      Object.keys(files)
        .map((k) => `uploaded:backup/${k}`)
        .sort(),
    );
    for (const [rel, bytes] of Object.entries(files)) {
      assert.ok((await readObject(h.client, h.bucket, `backup/${rel}`)).equals(bytes), rel);
    }
    const total = Object.values(files).reduce((s, b) => s + b.length, 0);
    assert.equal(progress.at(-1), total);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, 'monotonic');

    // Second run: everything exists with the same size and CRC-64.
    const again = await h.client.uploadDirectory({
      Bucket: h.bucket,
      LocalDir: root,
      Prefix: 'backup/',
      SkipExisting: true,
    });
    assert.equal(again.skipped.length, 5);
    assert.equal(again.succeeded.length, 0);
    // Change one file (same size): only it goes again.
    await writeFile(join(root, 'a.txt'), randomBytes(10));
    const changed = await h.client.uploadDirectory({
      Bucket: h.bucket,
      LocalDir: root,
      Prefix: 'backup/',
      SkipExisting: true,
    });
    assert.deepEqual(
      changed.succeeded.map((s) => s.key),
      ['backup/a.txt'],
    );
  });

  test('include/exclude globs and a failing file reported without stopping the others', async () => {
    const root = join(h.dir, 'filtered');
    await mkdir(join(root, 'logs'), { recursive: true });
    await writeFile(join(root, 'keep.txt'), 'k');
    await writeFile(join(root, 'logs', 'x.log'), 'l');
    await writeFile(join(root, 'skip.tmp'), 't');
    const r = await h.client.uploadDirectory({
      Bucket: h.bucket,
      LocalDir: root,
      Prefix: 'f/',
      Include: ['**/*.txt', '**/*.log'],
      Exclude: ['logs/**'],
    });
    assert.deepEqual(
      r.succeeded.map((s) => s.key),
      ['f/keep.txt'],
    );
    h.proxy.failParts.add(1);
    await writeFile(join(root, 'big.bin'), randomBytes(2 * MiB));
    try {
      const partial = await h.client.uploadDirectory({
        Bucket: h.bucket,
        LocalDir: root,
        Prefix: 'g/',
        PartSize: 1,
        MultipartThreshold: MiB,
      });
      assert.equal(partial.success_all, false);
      assert.deepEqual(
        partial.failed.map((f) => f.key),
        ['g/big.bin'],
      );
      assert.match(partial.failed[0]!.error.message, /part 1/);
      assert.equal(partial.succeeded.length, 3);
    } finally {
      h.proxy.failParts.clear();
    }
  });

  test('a thousand small files go through with files in parallel', async () => {
    const root = join(h.dir, 'many');
    await mkdir(root);
    for (let i = 0; i < 1000; i++) await writeFile(join(root, `f${i}.txt`), `file ${i}`);
    const r = await h.client.uploadDirectory({
      Bucket: h.bucket,
      LocalDir: root,
      Prefix: 'many/',
      FileThreads: 32,
    });
    assert.equal(r.succeeded.length, 1000);
    const page = await h.client.listObjects({ Bucket: h.bucket, Prefix: 'many/', MaxKeys: 1000 });
    assert.equal(page.Contents.length, 1000);
  });

  test('uploadStream: a stream ending within one part is one PUT; a longer one is multipart, bytes and CRC intact', async () => {
    const small = randomBytes(1000);
    const one = await h.client.uploadStream({
      Bucket: h.bucket,
      Key: 'stream/small',
      Body: Readable.from([small]),
    });
    assert.equal(one.UploadId, undefined);
    assert.equal(one['x-cos-hash-crc64ecma'], crcOf(small));
    const big = randomBytes(5 * MiB + 123);
    const chunks = Array.from({ length: Math.ceil(big.length / 70_000) }, (_, i) =>
      big.subarray(i * 70_000, (i + 1) * 70_000),
    );
    const progress: [number, number][] = [];
    const r = await h.client.uploadStream({
      Bucket: h.bucket,
      Key: 'stream/big',
      Body: Readable.from(chunks),
      PartSize: 1,
      MAXThread: 2,
      ProgressInterval: 0,
      onProgress: (a, b) => progress.push([a, b]),
    });
    assert.ok(r.UploadId);
    assert.equal(r.size, big.length);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(big));
    assert.ok((await readObject(h.client, h.bucket, 'stream/big')).equals(big));
    assert.deepEqual(progress.at(-1), [big.length, big.length]);
    const empty = await h.client.uploadStream({
      Bucket: h.bucket,
      Key: 'stream/empty',
      Body: Readable.from([]),
    });
    assert.equal(empty.size, 0);
  });

  test('uploadStream: a failing part aborts the upload (a stream cannot be re-read)', async () => {
    h.proxy.failParts.add(2);
    try {
      await assert.rejects(
        h.client.uploadStream({
          Bucket: h.bucket,
          Key: 'stream/fail',
          Body: Readable.from([randomBytes(3 * MiB)]),
          PartSize: 1,
        }),
      );
    } finally {
      h.proxy.failParts.clear();
    }
    const uploads = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: 'stream/fail' });
    assert.deepEqual(uploads.Upload, []);
    await assert.rejects(h.client.headObject({ Bucket: h.bucket, Key: 'stream/fail' }), { statusCode: 404 });
  });
});
