/** `coskit cp` with server-side encryption (coscli's flag names): SSE-COS uploads, SSE-C uploads and downloads, bad flags. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('cp --server-side-encryption AES256 stores the upload with SSE-COS', async () => {
  const bucket = await h.bucket();
  const data = await randomFile(join(h.dir, 'sse-cos.bin'), 5000);
  const r = await h.run([
    'cp',
    join(h.dir, 'sse-cos.bin'),
    `cos://${bucket}/sealed.bin`,
    '--server-side-encryption',
    'aes256',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'sealed.bin' });
  assert.equal(head['x-cos-server-side-encryption'], 'AES256');
  assert.deepEqual(await h.get(bucket, 'sealed.bin'), data);
});

test('cp --sse-customer-key: a multipart upload and a ranged download with the key; without it the download fails', async () => {
  const bucket = await h.bucket();
  const key = 'k'.repeat(16) + 'coskit-sse-key!!'; // 32 characters, coscli's form
  const data = await randomFile(join(h.dir, 'sse-c.bin'), 3 * 1024 * 1024 + 11);
  const up = await h.run([
    'cp',
    join(h.dir, 'sse-c.bin'),
    `cos://${bucket}/c.bin`,
    '--sse-customer-key',
    key,
    '--part-size',
    '1M',
  ]);
  assert.equal(up.code, 0, up.stderr);
  const base64 = Buffer.from(key).toString('base64');
  const head = await h.client.headObject({ Bucket: bucket, Key: 'c.bin', SSECustomerKey: base64 });
  assert.equal(head['x-cos-server-side-encryption-customer-algorithm'], 'AES256');

  const refused = await h.run(['cp', `cos://${bucket}/c.bin`, join(h.dir, 'no-key.bin')]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /InvalidRequest|400/);

  // The same key from a file, in base64.
  await writeFile(join(h.dir, 'key.txt'), `${base64}\n`);
  const down = await h.run([
    'cp',
    `cos://${bucket}/c.bin`,
    join(h.dir, 'back.bin'),
    '--sse-customer-key',
    `@${join(h.dir, 'key.txt')}`,
    '--part-size',
    '1M',
  ]);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(await readFile(join(h.dir, 'back.bin')), data);
});

test('bad encryption flags fail before any request with what to change (exit 2)', async () => {
  const bucket = await h.bucket();
  await randomFile(join(h.dir, 'x.bin'), 10);
  const src = join(h.dir, 'x.bin');
  const cases: [string[], RegExp][] = [
    [['--server-side-encryption', 'SM4'], /--server-side-encryption must be AES256/],
    [['--sse-customer-key', 'too short'], /--sse-customer-key must be 32 bytes/],
    [['--sse-customer-key', '@/nonexistent/key'], /the file cannot be read/],
    [['--sse-customer-algo', 'AES256'], /need --sse-customer-key/],
    [['--encryption-type', 'SSE-KMS'], /--encryption-type must be SSE-COS or SSE-C/],
    [['--encryption-type', 'SSE-C'], /needs --sse-customer-key/],
    [
      ['--server-side-encryption', 'AES256', '--sse-customer-key', randomBytes(32).toString('base64')],
      /not both/,
    ],
    [
      [
        '--sse-customer-key',
        randomBytes(32).toString('base64'),
        '--sse-customer-key-md5',
        'AAAAAAAAAAAAAAAAAAAAAA==',
      ],
      /not the MD5/,
    ],
  ];
  for (const [flags, message] of cases) {
    const r = await h.run(['cp', src, `cos://${bucket}/x.bin`, ...flags]);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const listed = await h.client.listObjects({ Bucket: bucket });
  assert.equal(listed.Contents.length, 0, 'nothing was uploaded');
});
