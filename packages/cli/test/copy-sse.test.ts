/**
 * Server-side encryption on the COS → COS paths (issue 11 item 7): `cp cos://… cos://…` (one
 * object, multipart, -r), `mv` and prefix → prefix `sync`, the target sealed as
 * `--server-side-encryption`/`--sse-customer-key` say and an SSE-C source read with
 * `--copy-source-sse-customer-key`; a missing or wrong source key fails with the server's answer
 * and writes nothing; the flag is refused where it means nothing. The real `coskit` against a
 * real `coskit serve`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, crcOf, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** coscli's 32-character form; its base64 is what the SDK and the server see. */
const SOURCE_KEY = 'source-key-of-32-characters-ok!!';
const SOURCE_B64 = Buffer.from(SOURCE_KEY).toString('base64');
const TARGET_B64 = randomBytes(32).toString('base64');

const readWith = async (Bucket: string, Key: string, SSECustomerKey?: string) => {
  const r = await h.client.getObject({ Bucket, Key, ...(SSECustomerKey ? { SSECustomerKey } : {}) });
  const chunks: Buffer[] = [];
  for await (const c of r.Body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
const headStatus = (Bucket: string, Key: string, SSECustomerKey?: string) =>
  h.client.headObject({ Bucket, Key, ...(SSECustomerKey ? { SSECustomerKey } : {}) }).then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode,
  );

test('cp cos:// → cos:// of an SSE-C object: into SSE-COS, and with -r into SSE-C with another key; --dry-run', async () => {
  assert.equal(SOURCE_KEY.length, 32);
  const bucket = await h.bucket();
  const data = await randomFile(join(h.dir, 'sealed.bin'), 2 * 1024 * 1024 + 3);
  const up = await h.run([
    'cp',
    join(h.dir, 'sealed.bin'),
    `cos://${bucket}/src/sealed.bin`,
    '--sse-customer-key',
    SOURCE_KEY,
  ]);
  assert.equal(up.code, 0, up.stderr);

  const toCos = await h.run([
    'cp',
    `cos://${bucket}/src/sealed.bin`,
    `cos://${bucket}/dst/cos.bin`,
    '--copy-source-sse-customer-key',
    SOURCE_KEY,
    '--server-side-encryption',
    'AES256',
  ]);
  assert.equal(toCos.code, 0, toCos.stderr);
  assert.match(toCos.stdout, /^copied: .*src\/sealed\.bin -> .*dst\/cos\.bin \(2\.\d+ MiB/m);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'dst/cos.bin' });
  assert.equal(head['x-cos-server-side-encryption'], 'AES256');
  assert.equal(head['x-cos-hash-crc64ecma'], crcOf(data));
  assert.deepEqual(await readWith(bucket, 'dst/cos.bin'), data);

  // -r of the prefix into SSE-C with another key, the source key given as base64. (Upload Part -
  // Copy, above 5 GiB, is the SDK's; its tests cover it with a small threshold.)
  const tree = await h.run([
    'cp',
    '-r',
    `cos://${bucket}/src/`,
    `cos://${bucket}/tree/`,
    '--copy-source-sse-customer-key',
    SOURCE_B64,
    '--sse-customer-key',
    TARGET_B64,
  ]);
  assert.equal(tree.code, 0, tree.stderr);
  assert.deepEqual(await readWith(bucket, 'tree/sealed.bin', TARGET_B64), data);
  assert.equal(await headStatus(bucket, 'tree/sealed.bin', SOURCE_B64), 403, 'sealed with the target key');

  // The copy's dry run reads the source's size with its key.
  const dry = await h.run([
    'cp',
    `cos://${bucket}/src/sealed.bin`,
    `cos://${bucket}/dst/dry.bin`,
    '--copy-source-sse-customer-key',
    SOURCE_KEY,
    '--dry-run',
  ]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^would copy: .*src\/sealed\.bin -> .*dst\/dry\.bin \(2\.\d+ MiB\)$/m);
  assert.equal(await headStatus(bucket, 'dst/dry.bin'), 404);
});

test('a missing or wrong source key fails with the server’s answer and writes nothing; the flag outside copies is a usage error', async () => {
  const bucket = await h.bucket();
  await h.client.putObject({
    Bucket: bucket,
    Key: 'src/a.txt',
    Body: 'sealed a',
    SSECustomerKey: SOURCE_B64,
  });
  for (const [extra, status] of [
    [
      [],
      /400 from the HEAD of .*: the source is stored with SSE-C: give its key with --copy-source-sse-customer-key/,
    ],
    [
      ['--copy-source-sse-customer-key', randomBytes(32).toString('base64')],
      /403 from the HEAD of .*: --copy-source-sse-customer-key is not the key the source was stored with/,
    ],
  ] as const) {
    for (const args of [
      ['cp', `cos://${bucket}/src/a.txt`, `cos://${bucket}/dst/a.txt`],
      ['cp', '-r', `cos://${bucket}/src/`, `cos://${bucket}/tree/`],
      ['mv', `cos://${bucket}/src/a.txt`, `cos://${bucket}/moved/a.txt`],
      ['sync', `cos://${bucket}/src/`, `cos://${bucket}/synced/`],
    ]) {
      const r = await h.run([...args, ...extra, '--server-side-encryption', 'AES256']);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, status, args.join(' '));
    }
  }
  const keys = (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key);
  assert.deepEqual(keys, ['src/a.txt'], 'nothing written, the source kept');
  assert.equal((await readWith(bucket, 'src/a.txt', SOURCE_B64)).toString(), 'sealed a');

  const local = join(h.dir, 'plain.txt');
  await randomFile(local, 10);
  for (const args of [
    ['cp', local, `cos://${bucket}/x.txt`],
    ['cp', `cos://${bucket}/src/a.txt`, join(h.dir, 'out.txt')],
    ['sync', h.dir, `cos://${bucket}/up/`],
  ]) {
    const r = await h.run([...args, '--copy-source-sse-customer-key', SOURCE_KEY]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--copy-source-sse-customer-key is the key of .*cos:\/\/ → cos:\/\//);
  }
  const short = await h.run([
    'cp',
    `cos://${bucket}/src/a.txt`,
    `cos://${bucket}/dst/a.txt`,
    '--copy-source-sse-customer-key',
    'short',
  ]);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /--copy-source-sse-customer-key must be 32 bytes/);
});

test('mv and sync prefix → prefix carry SSE: the moved source goes only after its sealed copy arrived', async () => {
  const bucket = await h.bucket();
  for (const [Key, Body] of [
    ['in/a.txt', 'aaaa'],
    ['in/d/b.txt', 'bb'],
  ] as const)
    await h.client.putObject({ Bucket: bucket, Key, Body, SSECustomerKey: SOURCE_B64 });

  const synced = await h.run([
    'sync',
    `cos://${bucket}/in/`,
    `cos://${bucket}/mirror/`,
    '--copy-source-sse-customer-key',
    SOURCE_KEY,
    '--sse-customer-key',
    TARGET_B64,
  ]);
  assert.equal(synced.code, 0, synced.stderr);
  assert.equal((await readWith(bucket, 'mirror/d/b.txt', TARGET_B64)).toString(), 'bb');
  // Again: equal by CRC-64, read with both keys, so nothing is copied.
  const again = await h.run([
    'sync',
    `cos://${bucket}/in/`,
    `cos://${bucket}/mirror/`,
    '--copy-source-sse-customer-key',
    SOURCE_KEY,
    '--sse-customer-key',
    TARGET_B64,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 copied.*2 skipped/);

  const moved = await h.run([
    'mv',
    '-r',
    `cos://${bucket}/in/`,
    `cos://${bucket}/out/`,
    '--copy-source-sse-customer-key',
    SOURCE_KEY,
    '--server-side-encryption',
    'AES256',
  ]);
  assert.equal(moved.code, 0, moved.stderr);
  const keys = (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key).sort();
  assert.deepEqual(keys, ['mirror/a.txt', 'mirror/d/b.txt', 'out/a.txt', 'out/d/b.txt']);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'out/a.txt' });
  assert.equal(head['x-cos-server-side-encryption'], 'AES256');
  assert.equal((await readWith(bucket, 'out/a.txt')).toString(), 'aaaa');
});
