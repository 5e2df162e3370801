/**
 * The advanced `copy` against coskit serve, with a small MultipartThreshold so multipart copies
 * stay small: one PUT Object - Copy up to the threshold, Upload Part - Copy above it (bytes and
 * CRC-64 intact, the Copy/Replaced directive, progress), resume from the checkpoint after a copy
 * cut short, a source replaced between runs, no-overwrite, bad arguments; and the official
 * `cos-nodejs-sdk-v5` `sliceCopyFile` copying against the same server.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CopyDirectoryParams, CopyParams, CosClientError, CosServiceError } from '../src/index.js';
import { OfficialCOS, officialCall, SECRET_ID, SECRET_KEY } from './support/client-harness.js';
import {
  crcOf,
  MiB,
  readObject,
  startTransferHarness,
  type TransferHarness,
} from './support/transfer-harness.js';

describe('copy', () => {
  let h: TransferHarness;
  const cpDir = () => join(h.dir, 'checkpoints');
  const src = (Key: string) => ({ Bucket: h.bucket, Region: 'ap-guangzhou', Key });
  before(async () => {
    h = await startTransferHarness('copy-1250000000');
  });
  after(() => h.close());

  const putSource = async (key: string, size: number) => {
    const { path, bytes } = await h.file(key.replaceAll('/', '_'), size);
    await h.client.uploadFile({
      Bucket: h.bucket,
      Key: key,
      LocalFilePath: path,
      ContentType: 'video/mp4',
      CacheControl: 'max-age=60',
      Metadata: { 'x-cos-meta-owner': 'alice' },
    });
    return bytes;
  };

  test('up to the threshold one PUT Object - Copy; above it Upload Part - Copy; bytes, CRC-64 and headers carried', async () => {
    const bytes = await putSource('src/big.mp4', 3 * MiB + 17);
    const small = await h.client.copy({
      Bucket: h.bucket,
      Key: 'dst/whole.mp4',
      CopySource: src('src/big.mp4'),
      CheckpointDir: cpDir(),
    });
    assert.equal(small.partsCopied, 0, 'under 5 GiB: one request');
    assert.equal(small.UploadId, undefined);
    assert.equal(small['x-cos-hash-crc64ecma'], crcOf(bytes));

    const calls: number[] = [];
    const r = await h.client.copy({
      Bucket: h.bucket,
      Key: 'dst/parts.mp4',
      CopySource: src('src/big.mp4'),
      MultipartThreshold: MiB,
      PartSize: 1,
      MAXThread: 2,
      StorageClass: 'STANDARD_IA',
      ProgressInterval: 0,
      onProgress: (done) => calls.push(done),
      CheckpointDir: cpDir(),
    });
    assert.equal(r.partsCopied, 4);
    assert.equal(r.bytesCopied, 3 * MiB + 17);
    assert.equal(r.resumed, false);
    assert.ok(r.UploadId);
    assert.ok((await readObject(h.client, h.bucket, 'dst/parts.mp4')).equals(bytes));
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    const head = await h.client.headObject({ Bucket: h.bucket, Key: 'dst/parts.mp4' });
    assert.equal(head['Content-Type'], 'video/mp4', 'Copy: the source content headers, read from its HEAD');
    assert.equal(head.headers['cache-control'], 'max-age=60');
    assert.deepEqual(head.Metadata, { 'x-cos-meta-owner': 'alice' });
    assert.equal(head['x-cos-storage-class'], 'STANDARD_IA', 'the class given, never inherited');
    assert.deepEqual(calls.at(-1), 3 * MiB + 17);
    assert.equal(calls.filter((c) => c === 3 * MiB + 17).length, 1, 'one 100 % call');
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i]! >= calls[i - 1]!, 'monotonic');

    await h.client.copy({
      Bucket: h.bucket,
      Key: 'dst/replaced.mp4',
      CopySource: src('src/big.mp4'),
      CopyStatus: 'Replaced',
      ContentType: 'application/octet-stream',
      Metadata: { 'x-cos-meta-owner': 'bob' },
      MultipartThreshold: MiB,
      PartSize: 1,
      CheckpointDir: cpDir(),
    });
    const replaced = await h.client.headObject({ Bucket: h.bucket, Key: 'dst/replaced.mp4' });
    assert.equal(replaced['Content-Type'], 'application/octet-stream');
    assert.deepEqual(replaced.Metadata, { 'x-cos-meta-owner': 'bob' });
    assert.equal(replaced.headers['cache-control'], undefined, 'Replaced: nothing of the source');
    assert.deepEqual(await readdir(cpDir()).catch(() => []), [], 'no checkpoint left behind');
  });

  test('a copy cut short resumes from its checkpoint, copying only the missing parts', async () => {
    const bytes = await putSource('src/resume.bin', 5 * MiB);
    const params: CopyParams = {
      Bucket: h.bucket,
      Key: 'dst/resume.bin',
      CopySource: src('src/resume.bin'),
      MultipartThreshold: MiB,
      PartSize: 1,
      MAXThread: 1,
      CheckpointDir: cpDir(),
    };
    h.proxy.failParts.add(4);
    const err = await h.client.copy(params).then(
      () => undefined,
      (e: CosClientError) => e,
    );
    h.proxy.failParts.clear();
    assert.equal(err?.code, 'COS_PART_FAILED', String(err));
    assert.equal(err?.PartNumber, 4);
    assert.equal((await readdir(cpDir())).filter((f) => f.startsWith('copy-')).length, 1, 'checkpoint kept');
    await assert.rejects(h.client.headObject({ Bucket: h.bucket, Key: 'dst/resume.bin' }), {
      statusCode: 404,
    });

    const r = await h.client.copy(params);
    assert.equal(r.resumed, true);
    assert.equal(r.partsCopied, 2, 'parts 4 and 5 only (1-3 were copied before the failure)');
    assert.equal(r.bytesCopied, 2 * MiB);
    assert.equal(r.UploadId, err?.UploadId, 'the same multipart upload');
    assert.ok((await readObject(h.client, h.bucket, 'dst/resume.bin')).equals(bytes));
    assert.deepEqual(await readdir(cpDir()), []);

    // A source replaced between runs: the checkpoint's parts belong to the old version.
    h.proxy.failParts.add(2);
    await assert.rejects(h.client.copy({ ...params, Key: 'dst/changed.bin' }), { code: 'COS_PART_FAILED' });
    h.proxy.failParts.clear();
    const newer = await putSource('src/resume.bin', 3 * MiB);
    const again = await h.client.copy({ ...params, Key: 'dst/changed.bin' });
    assert.equal(again.resumed, false, 'another source version starts afresh');
    assert.ok((await readObject(h.client, h.bucket, 'dst/changed.bin')).equals(newer));
    const uploads = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: 'dst/changed.bin' });
    assert.equal(uploads.Upload.length, 0, 'the stale upload was aborted');
  });

  test('ForbidOverwrite refuses an existing target (one copy and multipart); bad arguments send nothing', async () => {
    await putSource('src/keep.bin', 2 * MiB);
    await h.client.putObject({ Bucket: h.bucket, Key: 'dst/exists.bin', Body: 'keep me' });
    for (const threshold of [undefined, MiB]) {
      await assert.rejects(
        h.client.copy({
          Bucket: h.bucket,
          Key: 'dst/exists.bin',
          CopySource: src('src/keep.bin'),
          ForbidOverwrite: 'true',
          PartSize: 1,
          CheckpointDir: cpDir(),
          ...(threshold ? { MultipartThreshold: threshold } : {}),
        }),
        (e: CosServiceError) => e.statusCode === 409 && e.errorCode === 'FileAlreadyExists',
      );
    }
    assert.equal((await readObject(h.client, h.bucket, 'dst/exists.bin')).toString(), 'keep me');

    const bad: [Partial<CopyParams>, RegExp][] = [
      [
        { CopySource: { Bucket: h.bucket, Key: 'src/keep.bin' } as CopyParams['CopySource'] },
        /CopySource.Region/,
      ],
      [{ CopyStatus: 'Move' as 'Copy' }, /CopyStatus must be "Copy" or "Replaced"/],
      [{ MultipartThreshold: 6 * 1024 * MiB }, /MultipartThreshold must be a number of bytes from 0 to/],
      [{ PartSize: 0 }, /PartSize is in MiB/],
      [{ Key: '' }, /key/i],
    ];
    const requests = h.proxy.putBytes;
    for (const [extra, message] of bad) {
      await assert.rejects(
        h.client.copy({ Bucket: h.bucket, Key: 'dst/never', CopySource: src('src/keep.bin'), ...extra }),
        (e: CosClientError) => e.code === 'COS_INVALID_ARGUMENT' && message.test(e.message),
      );
    }
    assert.equal(h.proxy.putBytes, requests);
  });

  test('the official cos-nodejs-sdk-v5 sliceCopyFile copies against coskit serve: bytes and CRC-64 intact', async () => {
    const bytes = await putSource('src/official.bin', 3 * MiB + 5);
    const cos = new OfficialCOS({
      SecretId: SECRET_ID,
      SecretKey: SECRET_KEY,
      Protocol: 'http:',
      Ip: `127.0.0.1:${h.server.port}`,
      CopyChunkParallelLimit: 2,
    });
    const data = await officialCall(cos, 'sliceCopyFile', {
      Bucket: h.bucket,
      Region: 'ap-guangzhou',
      Key: 'dst/official.bin',
      CopySource: `${h.bucket}.cos.ap-guangzhou.myqcloud.com/src/official.bin`,
      CopySliceSize: MiB,
      CopyChunkSize: MiB,
    });
    assert.equal(data['statusCode'], 200);
    const head = await h.client.headObject({ Bucket: h.bucket, Key: 'dst/official.bin' });
    assert.equal(head['Content-Length'], bytes.length);
    assert.equal(head['x-cos-hash-crc64ecma'], crcOf(bytes));
    assert.match(head.ETag, /-4"$/, 'four parts: a multipart copy, not one PUT Object - Copy');
    assert.ok((await readObject(h.client, h.bucket, 'dst/official.bin')).equals(bytes));
  });
});

describe('copyDirectory', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('copydir-1250000000');
    for (const [Key, Body] of [
      ['from/a.txt', 'aaaa'],
      ['from/d/b.txt', 'bb'],
      ['from/skip.log', 'log'],
      ['from/d/', ''],
      ['to/a.txt', 'AAAA'],
      ['to/same.txt', 'same'],
      ['from/same.txt', 'same'],
    ] as const)
      await h.client.putObject({ Bucket: h.bucket, Key, Body });
  });
  after(() => h.close());

  const run = async (extra: Partial<CopyDirectoryParams>) => {
    const finished: [string, string, string | undefined][] = [];
    const r = await h.client.copyDirectory({
      Bucket: h.bucket,
      Prefix: 'to/',
      CopySource: { Bucket: h.bucket, Region: 'ap-guangzhou', Prefix: 'from/' },
      Exclude: ['*.log'],
      CheckpointDir: join(h.dir, 'cp'),
      onFileFinish: (_e, f) => finished.push([f.key, f.status, f.reason]),
      ...extra,
    });
    return { r, finished: finished.sort() };
  };

  test('a prefix to another on the server: filters, folder markers left out; SkipExisting by CRC-64 or size; DryRun', async () => {
    const dry = await run({ SkipExisting: true, DryRun: true });
    assert.deepEqual(dry.finished, [
      ['to/a.txt', 'would-copy', 'changed content'],
      ['to/d/b.txt', 'would-copy', 'new'],
      ['to/same.txt', 'skipped', undefined],
    ]);
    const bySize = await run({ SkipExisting: true, CompareBy: 'size' });
    assert.deepEqual(bySize.finished, [
      ['to/a.txt', 'skipped', undefined],
      ['to/d/b.txt', 'copied', undefined],
      ['to/same.txt', 'skipped', undefined],
    ]);
    const byCrc = await run({ SkipExisting: true });
    assert.deepEqual(byCrc.finished, [
      ['to/a.txt', 'copied', undefined],
      ['to/d/b.txt', 'skipped', undefined],
      ['to/same.txt', 'skipped', undefined],
    ]);
    assert.equal((await readObject(h.client, h.bucket, 'to/a.txt')).toString(), 'aaaa');
    const keys = (await h.client.listObjects({ Bucket: h.bucket, Prefix: 'to/' })).Contents.map((c) => c.Key);
    assert.deepEqual(keys.sort(), ['to/a.txt', 'to/d/b.txt', 'to/same.txt']);
    await assert.rejects(
      h.client.copyDirectory({
        Bucket: h.bucket,
        Prefix: 'from/',
        CopySource: { Bucket: h.bucket, Region: 'ap-guangzhou', Prefix: 'from/' },
      }),
      (e: CosClientError) => e.code === 'COS_INVALID_ARGUMENT' && /onto itself/.test(e.message),
    );
  });
});
