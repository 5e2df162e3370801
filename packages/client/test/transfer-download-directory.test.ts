/**
 * downloadDirectory against coskit serve: a prefix to a local folder (nested, unicode, empty,
 * ranged objects; folder markers left out), Include/Exclude on the path below the prefix, keys that
 * name no file under the folder failing alone, SkipExisting by size + CRC-64 or by size alone,
 * DryRun, and bad arguments refused before any request.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CosClientError, DownloadDirectoryParams } from '../src/index.js';
import { MiB, startTransferHarness, type TransferHarness } from './support/transfer-harness.js';

describe('downloadDirectory', () => {
  let h: TransferHarness;
  const objects = new Map<string, Buffer>();
  before(async () => {
    h = await startTransferHarness('dldir-1250000000');
    const sizes: Record<string, number> = {
      'site/index.html': 1200,
      'site/css/a.css': 300,
      'site/日本/写真.txt': 40,
      'site/empty.txt': 0,
      'site/big.bin': 2 * MiB + 5,
      'site/app.map': 10,
      'other/outside.txt': 5,
    };
    for (const [key, size] of Object.entries(sizes)) {
      const { path, bytes } = await h.file(key.replaceAll('/', '_'), size);
      await h.client.uploadFile({ Bucket: h.bucket, Key: key, LocalFilePath: path });
      objects.set(key, bytes);
    }
    // A folder marker, and a key with an empty segment that names no file.
    await h.client.putObject({ Bucket: h.bucket, Key: 'site/css/', Body: '' });
    await h.client.putObject({ Bucket: h.bucket, Key: 'site/x//y.txt', Body: 'unsafe' });
  });
  after(() => h.close());

  type Finish = Parameters<NonNullable<DownloadDirectoryParams['onFileFinish']>>;
  const run = async (extra: Partial<DownloadDirectoryParams>, dir: string) => {
    const finished: { key: string; status: string; reason?: string | undefined; error?: string }[] = [];
    let totals: { files: number; bytes: number } | undefined;
    const progress: number[] = [];
    const r = await h.client.downloadDirectory({
      Bucket: h.bucket,
      Prefix: 'site/',
      LocalDir: dir,
      PartSize: 1,
      MAXThread: 2,
      FileThreads: 3,
      CheckpointDir: join(h.dir, 'cp'),
      ProgressInterval: 0,
      onStart: (t) => {
        totals = t;
      },
      onProgress: (done) => progress.push(done),
      onFileFinish: (...[error, f]: Finish) =>
        finished.push({
          key: f.key,
          status: f.status,
          ...(f.reason ? { reason: f.reason } : {}),
          ...(error ? { error: error.message } : {}),
        }),
      ...extra,
    });
    finished.sort((a, b) => (a.key < b.key ? -1 : 1));
    return { r, finished, totals, progress };
  };

  test('every object under the prefix lands below LocalDir, bytes intact; a key naming no file fails alone', async () => {
    const dir = join(h.dir, 'out1');
    const { r, finished, totals, progress } = await run({}, dir);
    assert.deepEqual(totals, { files: 7, bytes: 1200 + 300 + 40 + 0 + 2 * MiB + 5 + 10 + 6 });
    assert.deepEqual(
      finished.map((f) => [f.key, f.status]),
      [
        ['site/app.map', 'downloaded'],
        ['site/big.bin', 'downloaded'],
        ['site/css/a.css', 'downloaded'],
        ['site/empty.txt', 'downloaded'],
        ['site/index.html', 'downloaded'],
        ['site/x//y.txt', 'failed'],
        ['site/日本/写真.txt', 'downloaded'],
      ],
    );
    assert.match(finished.find((f) => f.status === 'failed')?.error ?? '', /names no file under/);
    assert.equal(r.success_all, false);
    assert.equal(r.succeeded.length, 6);
    assert.equal((r.failed[0]?.error as CosClientError).code, 'COS_INVALID_ARGUMENT');
    for (const [key, bytes] of objects) {
      if (!key.startsWith('site/')) continue;
      assert.ok((await readFile(join(dir, key.slice('site/'.length)))).equals(bytes), key);
    }
    assert.deepEqual((await readdir(dir)).sort(), [
      'app.map',
      'big.bin',
      'css',
      'empty.txt',
      'index.html',
      '日本',
    ]);
    assert.deepEqual(await readdir(join(dir, 'css')), ['a.css'], 'the folder marker wrote no file');
    assert.equal(progress.at(-1), totals?.bytes, 'folder progress ends at the total');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, 'monotonic');
  });

  test('Include/Exclude select by the path below the prefix; SkipExisting by CRC-64 or by size; DryRun receives nothing', async () => {
    const dir = join(h.dir, 'out2');
    const filters = { Include: ['*.css', '*.html', '*.bin'], Exclude: ['big.bin'] };
    const first = await run(filters, dir);
    assert.deepEqual(
      first.finished.map((f) => [f.key, f.status]),
      [
        ['site/css/a.css', 'downloaded'],
        ['site/index.html', 'downloaded'],
      ],
    );
    // Same size, other bytes: only the CRC-64 sees it.
    await writeFile(join(dir, 'index.html'), Buffer.alloc(1200, 1));
    const dry = await run({ SkipExisting: true, DryRun: true }, dir);
    assert.deepEqual(
      dry.finished.map((f) => [f.key, f.status, f.reason]),
      [
        ['site/app.map', 'would-download', 'new'],
        ['site/big.bin', 'would-download', 'new'],
        ['site/css/a.css', 'skipped', undefined],
        ['site/empty.txt', 'would-download', 'new'],
        ['site/index.html', 'would-download', 'changed content'],
        ['site/x//y.txt', 'failed', undefined],
        ['site/日本/写真.txt', 'would-download', 'new'],
      ],
    );
    assert.deepEqual((await readFile(join(dir, 'index.html')))[0], 1, 'the dry run changed nothing');

    const bySize = await run({ ...filters, SkipExisting: true, CompareBy: 'size' }, dir);
    assert.deepEqual(
      bySize.finished.map((f) => [f.key, f.status]),
      [
        ['site/css/a.css', 'skipped'],
        ['site/index.html', 'skipped'],
      ],
      'equal sizes are enough with CompareBy size',
    );
    const byCrc = await run({ ...filters, SkipExisting: true }, dir);
    assert.deepEqual(
      byCrc.finished.map((f) => [f.key, f.status]),
      [
        ['site/css/a.css', 'skipped'],
        ['site/index.html', 'downloaded'],
      ],
    );
    assert.ok((await readFile(join(dir, 'index.html'))).equals(objects.get('site/index.html')!));
  });

  test('bad arguments fail before any request', async () => {
    const bad: [Partial<DownloadDirectoryParams>, RegExp][] = [
      [{ LocalDir: '' }, /LocalDir must name a local folder/],
      [{ FileThreads: 0 }, /FileThreads must be an integer from 1 to 256/],
      [{ CompareBy: 'md5' as 'size' }, /CompareBy must be "crc64" or "size"/],
      [{ Bucket: 'Bad_Bucket' }, /bucket/i],
      [{ PartSize: 0 }, /PartSize is in MiB/],
    ];
    for (const [extra, message] of bad) {
      await assert.rejects(
        h.client.downloadDirectory({ Bucket: h.bucket, LocalDir: join(h.dir, 'never'), ...extra }),
        (err: CosClientError) => err.code === 'COS_INVALID_ARGUMENT' && message.test(err.message),
      );
    }
    await assert.rejects(readdir(join(h.dir, 'never')), { code: 'ENOENT' });
  });
});
