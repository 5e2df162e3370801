/**
 * downloadFile and appendFile against coskit serve, and the one retry layer under every transfer:
 * single and ranged downloads, resume from the checkpoint, skip-existing, an object replaced
 * mid-download; appends that create, continue and resume; retries counted per request.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CosClientError } from '../src/index.js';
import {
  clientFor,
  crcOf,
  MiB,
  startTransferHarness,
  type TransferHarness,
} from './support/transfer-harness.js';

describe('downloadFile', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('download-1250000000');
  });
  after(() => h.close());
  const cpDir = () => join(h.dir, 'checkpoints');

  test('one GET up to PartSize, parallel ranges above; bytes and CRC-64 intact; progress ends at 100 % once', async () => {
    for (const size of [0, 100, MiB, 5 * MiB + 7]) {
      const { path, bytes } = await h.file(`dl-src-${size}`, size);
      await h.client.uploadFile({
        Bucket: h.bucket,
        Key: `dl/${size}`,
        LocalFilePath: path,
        PartSize: 1,
        MultipartThreshold: MiB,
      });
      const dest = join(h.dir, 'out', 'nested', `dl-${size}`);
      const calls: [number, number][] = [];
      const r = await h.client.downloadFile({
        Bucket: h.bucket,
        Key: `dl/${size}`,
        DestFilePath: dest,
        PartSize: 1,
        MAXThread: 3,
        ProgressInterval: 0,
        onProgress: (a, b) => calls.push([a, b]),
        CheckpointDir: cpDir(),
      });
      assert.ok((await readFile(dest)).equals(bytes), `${size} bytes intact`);
      assert.equal(r.size, size);
      assert.equal(r.bytesReceived, size);
      assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
      assert.equal(r.resumed, false);
      assert.deepEqual(calls.at(-1), [size, size]);
      assert.equal(calls.filter(([done]) => done === size).length, 1);
      for (let i = 1; i < calls.length; i++) assert.ok(calls[i]![0] >= calls[i - 1]![0], 'monotonic');
    }
    assert.deepEqual(await readdir(cpDir()).catch(() => []), [], 'no checkpoint left behind');
  });

  test('an interrupted ranged download resumes from its checkpoint, receiving only the missing ranges', async () => {
    const { path, bytes } = await h.file('dl-resume', 8 * MiB);
    await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'dl/resume',
      LocalFilePath: path,
      PartSize: 1,
      MultipartThreshold: MiB,
    });
    const dest = join(h.dir, 'resume.bin');
    const controller = new AbortController();
    await assert.rejects(
      h.client.downloadFile({
        Bucket: h.bucket,
        Key: 'dl/resume',
        DestFilePath: dest,
        PartSize: 1,
        MAXThread: 1,
        TrafficLimit: 8 * MiB * 8,
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > 3 * MiB) controller.abort();
        },
        signal: controller.signal,
        CheckpointDir: cpDir(),
      }),
      (err: CosClientError) => err.code === 'COS_ABORTED',
    );
    await assert.rejects(stat(dest), { code: 'ENOENT' }, 'nothing under the real name yet');
    assert.equal((await readdir(cpDir())).filter((n) => n.startsWith('download-')).length, 1);
    const r = await h.client.downloadFile({
      Bucket: h.bucket,
      Key: 'dl/resume',
      DestFilePath: dest,
      PartSize: 1,
      CheckpointDir: cpDir(),
    });
    assert.equal(r.resumed, true);
    assert.ok(r.bytesReceived <= 5 * MiB, `received ${r.bytesReceived} of ${8 * MiB}`);
    assert.ok((await readFile(dest)).equals(bytes));
    assert.deepEqual(await readdir(cpDir()), []);
  });

  test('SkipExisting keeps an equal local file; an object replaced between ranges is COS_OBJECT_CHANGED', async () => {
    const { path, bytes } = await h.file('dl-skip', 3 * MiB);
    await h.client.uploadFile({ Bucket: h.bucket, Key: 'dl/skip', LocalFilePath: path });
    const same = await h.client.downloadFile({
      Bucket: h.bucket,
      Key: 'dl/skip',
      DestFilePath: path,
      SkipExisting: true,
      CheckpointDir: cpDir(),
    });
    assert.equal(same.skipped, true);
    assert.equal(same.bytesReceived, 0);
    assert.ok((await readFile(path)).equals(bytes));

    const dest = join(h.dir, 'changed.bin');
    let replaced = false;
    /** The replacing PUT: awaited below, so that it never outlives the test (and its server). */
    let replacing: Promise<unknown> | undefined;
    await assert.rejects(
      h.client.downloadFile({
        Bucket: h.bucket,
        Key: 'dl/skip',
        DestFilePath: dest,
        PartSize: 1,
        MAXThread: 1,
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > 0 && !replaced) {
            replaced = true;
            replacing = h.client.putObject({ Bucket: h.bucket, Key: 'dl/skip', Body: 'another version' });
          }
        },
        TrafficLimit: 8 * MiB * 8,
        CheckpointDir: cpDir(),
      }),
      (err: CosClientError) => err.code === 'COS_OBJECT_CHANGED',
    );
    await replacing;
    await assert.rejects(stat(`${dest}.coskit-partial`), { code: 'ENOENT' }, 'the partial file is removed');
    assert.deepEqual(await readdir(cpDir()), [], 'and its checkpoint');
  });
});

describe('appendFile', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('append-1250000000');
  });
  after(() => h.close());
  const cpDir = () => join(h.dir, 'checkpoints');

  test('creates an appendable object, appends at its length in PartSize requests, CRC-64 checked', async () => {
    const { path, bytes } = await h.file('app-1', 3 * MiB + 5);
    const r = await h.client.appendFile({
      Bucket: h.bucket,
      Key: 'log',
      LocalFilePath: path,
      PartSize: 1,
      ContentType: 'text/plain',
      CheckpointDir: cpDir(),
    });
    assert.equal(r.bytesSent, bytes.length);
    assert.equal(r['x-cos-next-append-position'], bytes.length);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    const { bytes: more } = await h.file('app-2', 1000);
    const r2 = await h.client.appendFile({
      Bucket: h.bucket,
      Key: 'log',
      LocalFilePath: join(h.dir, 'app-2'),
      CheckpointDir: cpDir(),
    });
    const whole = Buffer.concat([bytes, more]);
    assert.equal(r2['x-cos-hash-crc64ecma'], crcOf(whole));
    const head = await h.client.headObject({ Bucket: h.bucket, Key: 'log' });
    assert.equal(head['x-cos-object-type'], 'appendable');
    assert.equal(head['Content-Length'], whole.length);
    assert.equal(head['Content-Type'], 'text/plain');
    assert.deepEqual(await readdir(cpDir()), []);
  });

  test('after a checkpoint whose last append landed unanswered, the next call continues without appending twice', async () => {
    const { path, bytes } = await h.file('app-resume', 3 * MiB);
    const controller = new AbortController();
    await assert.rejects(
      h.client.appendFile({
        Bucket: h.bucket,
        Key: 'resume-log',
        LocalFilePath: path,
        PartSize: 1,
        TrafficLimit: 8 * MiB * 8,
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > 1.5 * MiB) controller.abort();
        },
        signal: controller.signal,
        CheckpointDir: cpDir(),
      }),
      (err: CosClientError) => err.code === 'COS_ABORTED',
    );
    const r = await h.client.appendFile({
      Bucket: h.bucket,
      Key: 'resume-log',
      LocalFilePath: path,
      PartSize: 1,
      CheckpointDir: cpDir(),
    });
    assert.equal(r.resumed, true);
    assert.ok(r.bytesSent < bytes.length, `sent ${r.bytesSent}`);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    const head = await h.client.headObject({ Bucket: h.bucket, Key: 'resume-log' });
    assert.equal(head['Content-Length'], bytes.length);
  });

  test('a normal object is COS_NOT_APPENDABLE; bad arguments fail before any request', async () => {
    await h.client.putObject({ Bucket: h.bucket, Key: 'normal', Body: 'x' });
    const { path } = await h.file('app-3', 10);
    await assert.rejects(
      h.client.appendFile({ Bucket: h.bucket, Key: 'normal', LocalFilePath: path, CheckpointDir: cpDir() }),
      (err: CosClientError) => err.code === 'COS_NOT_APPENDABLE',
    );
    const before = h.proxy.putBytes;
    await assert.rejects(
      h.client.appendFile({
        Bucket: h.bucket,
        Key: 'x',
        LocalFilePath: join(h.dir, 'missing'),
        CheckpointDir: cpDir(),
      }),
      (err: CosClientError) => err.code === 'COS_INVALID_ARGUMENT' && /LocalFilePath/.test(err.message),
    );
    await assert.rejects(
      h.client.appendFile({ Bucket: h.bucket, Key: 'x', LocalFilePath: path, PartSize: 0 }),
      (err: CosClientError) => err.code === 'COS_INVALID_ARGUMENT' && /PartSize/.test(err.message),
    );
    assert.equal(h.proxy.putBytes, before);
  });
});

describe('one retry layer', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('retries-1250000000');
  });
  after(() => h.close());

  test('a part answered 500 is sent Retry.maxAttempts times in all (the transport), not once more per layer', async () => {
    const { path } = await h.file('five-hundred', 3 * MiB);
    const client = clientFor(h.proxy.port, { Retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    h.proxy.failParts.add(2);
    h.proxy.partRequests.clear();
    try {
      await assert.rejects(
        client.uploadFile({
          Bucket: h.bucket,
          Key: 'five-hundred',
          LocalFilePath: path,
          PartSize: 1,
          MultipartThreshold: MiB,
          CheckpointDir: join(h.dir, 'cp-retries'),
        }),
        (err: CosClientError) => err.code === 'COS_PART_FAILED' && err.PartNumber === 2,
      );
    } finally {
      h.proxy.failParts.clear();
      client.destroy();
    }
    assert.equal(h.proxy.partRequests.get(2), 3, 'three requests for part 2 (was 3 × 3)');
  });

  test('the transport honours Retry-After', async () => {
    await writeFile(join(h.dir, 'noop'), '');
    const { createServer } = await import('node:http');
    let calls = 0;
    const times: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      calls++;
      times.push(performance.now());
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/xml' });
        res.end('<Error><Code>SlowDown</Code><Message>wait</Message></Error>');
        return;
      }
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = clientFor(port, { Retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      await client.headBucket({ Bucket: h.bucket });
      assert.equal(calls, 2);
      assert.ok(
        times[1]! - times[0]! >= 950,
        `waited ${Math.round(times[1]! - times[0]!)} ms for Retry-After: 1`,
      );
    } finally {
      client.destroy();
      server.close();
    }
  });
});
