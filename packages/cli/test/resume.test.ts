/**
 * Interrupting and resuming a large transfer as a user would (Ctrl-C, or the process killed), and
 * plain progress lines when not on a terminal.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  type CliHarness,
  crcOf,
  jsonLines,
  type Running,
  randomFile,
  startHarness,
} from './support/harness.js';

const MiB = 1024 * 1024;
/** Start of a terminal control sequence. */
const ESC = '\u001b[';
const SIZE = 64 * MiB;
/** 1 MiB parts, 2 in flight, each request paced to 10 MiB/s: the upload takes a few seconds. */
const PACED = ['--part-size', '1', '--threads', '2', '--rate-limit', '10M', '--json'];

let h: CliHarness;
let big: string;
let data: Buffer;

before(async () => {
  h = await startHarness();
  big = join(h.dir, 'big.bin');
  data = await randomFile(big, SIZE);
});
after(async () => {
  await h.close();
});

/** Resolves once a `progress` event reports at least `bytes`. */
function progressPast(run: Running, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no progress past ${bytes}: ${run.out()} ${run.err()}`)),
      30_000,
    );
    const check = () => {
      for (const e of jsonLines(run.out())) {
        if (e['event'] === 'progress' && Number(e['bytes']) >= bytes) {
          clearTimeout(timer);
          run.child.stdout?.off('data', check);
          resolve(Number(e['bytes']));
          return;
        }
      }
    };
    run.child.stdout?.on('data', check);
  });
}

async function interruptedUpload(signal: 'SIGINT' | 'SIGKILL'): Promise<void> {
  const bucket = await h.bucket();
  const args = ['cp', big, `cos://${bucket}/big.bin`, ...PACED];
  const first = h.start(args);
  const at = await progressPast(first, SIZE / 4);
  first.child.kill(signal);
  const r1 = await first.done;
  if (signal === 'SIGINT') {
    assert.equal(r1.code, 130, r1.stderr);
    assert.match(r1.stderr, /^interrupted: run the same command again to resume$/m);
  } else {
    assert.equal(r1.signal, 'SIGKILL');
  }
  assert.ok(at < SIZE, 'the signal landed mid-upload');
  await assert.rejects(h.client.headObject({ Bucket: bucket, Key: 'big.bin' }), { statusCode: 404 });
  const checkpoints = await readdir(join(dirname(h.env['COSKIT_CONFIG']!), 'checkpoints'));
  assert.ok(checkpoints.length > 0, 'the checkpoint stays for the next run');

  const second = await h.run(args);
  assert.equal(second.code, 0, second.stderr);
  const file = jsonLines(second.stdout).find((e) => e['event'] === 'file');
  assert.equal(file?.['status'], 'uploaded');
  assert.equal(file?.['resumed'], true);
  const sent = Number(file?.['bytesSent']);
  assert.ok(sent < SIZE - SIZE / 8, `the second run sent ${sent} of ${SIZE} bytes`);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'big.bin' });
  assert.equal(head['Content-Length'], SIZE);
  assert.equal(head['x-cos-hash-crc64ecma'], crcOf(data), "the stored object's CRC-64 is the file's");
  assert.equal((await h.client.listMultipartUploads({ Bucket: bucket })).Upload.length, 0);
}

test('Ctrl-C (SIGINT) stops an upload with exit 130 and the resume hint; the same command resumes it', async () => {
  await interruptedUpload('SIGINT');
});

test('after SIGKILL mid-upload, the same command resumes from the checkpoint', async () => {
  await interruptedUpload('SIGKILL');
});

test('an interrupted ranged download resumes too, and the file is complete and checked', async () => {
  const bucket = await h.bucket();
  await h.client.uploadFile({ Bucket: bucket, Key: 'dl.bin', LocalFilePath: big, PartSize: 8 });
  const dest = join(h.dir, 'downloads', 'dl.bin');
  const args = ['cp', `cos://${bucket}/dl.bin`, dest, ...PACED];
  const first = h.start(args);
  await progressPast(first, SIZE / 4);
  first.child.kill('SIGINT');
  const r1 = await first.done;
  assert.equal(r1.code, 130, r1.stderr);
  assert.match(r1.stderr, /interrupted: run the same command again to resume/);
  await assert.rejects(readFile(dest), { code: 'ENOENT' }, 'nothing half-written under the real name');

  const second = await h.run(args);
  assert.equal(second.code, 0, second.stderr);
  const file = jsonLines(second.stdout).find((e) => e['event'] === 'file');
  assert.equal(file?.['resumed'], true);
  assert.ok(Number(file?.['bytesSent']) < SIZE - SIZE / 8, `received ${file?.['bytesSent']}`);
  assert.equal(crcOf(await readFile(dest)), crcOf(data));
});

test('an append killed midway continues where the object ends, appending nothing twice', async () => {
  const bucket = await h.bucket();
  await h.client.appendObject({ Bucket: bucket, Key: 'log.bin', Position: 0, Data: 'header\n' });
  const part = join(h.dir, 'append-part.bin');
  const bytes = await randomFile(part, 8 * MiB);
  const args = [
    'append',
    part,
    `cos://${bucket}/log.bin`,
    '--part-size',
    '1',
    '--rate-limit',
    '4M',
    '--json',
  ];
  const first = h.start(args);
  await progressPast(first, 2 * MiB);
  first.child.kill('SIGKILL');
  assert.equal((await first.done).signal, 'SIGKILL');
  const second = await h.run(args);
  assert.equal(second.code, 0, second.stderr);
  const file = jsonLines(second.stdout).find((e) => e['event'] === 'file');
  assert.equal(file?.['resumed'], true);
  assert.ok(Number(file?.['bytesSent']) < 7 * MiB, `sent ${file?.['bytesSent']}`);
  const whole = Buffer.concat([Buffer.from('header\n'), bytes]);
  assert.equal(file?.['crc64'], crcOf(whole));
  assert.deepEqual(await h.get(bucket, 'log.bin'), whole);
});

test('not on a terminal: one plain line per file, no control sequences (the terminal display: display.test.ts)', async () => {
  const bucket = await h.bucket();
  const folder = join(h.dir, 'tty');
  await randomFile(join(folder, 'one.bin'), 3 * MiB);
  await randomFile(join(folder, 'two.bin'), 1 * MiB);
  await randomFile(join(folder, 'sub/three.txt'), 100);
  const plain = await h.run(['cp', '-r', folder, `cos://${bucket}/plain/`]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.ok(!/[█░]/.test(plain.stdout + plain.stderr) && !(plain.stdout + plain.stderr).includes(ESC));
  const lines = plain.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(
    lines.every((l) => /^uploaded: .* -> cos:\/\/.*\/plain\/.* \([\d.]+ (B|KiB|MiB)/.test(l)),
    plain.stdout,
  );
  assert.match(
    plain.stderr,
    /^done: 3 uploaded \(4\.00 MiB\), 0 skipped, 0 failed in [\d.]+ s; 4\.00 MiB sent/m,
  );
});
