/**
 * `cp cos://… cos://…` (server-side copies, -r), `mv` in every direction, `--tags` and
 * `--no-clobber`: the real `coskit` against a real `coskit serve`, checking output, exit codes and
 * what is stored (or left alone).
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, crcOf, jsonLines, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const keysOf = async (bucket: string, prefix = '') =>
  (await h.client.listObjects({ Bucket: bucket, Prefix: prefix })).Contents.map((c) => c.Key).sort();

test('cp cos://a/x cos://b/y copies on the server: one object (into a "/" key too), or a prefix with -r', async () => {
  const a = await h.bucket();
  const b = await h.bucket();
  const data = Buffer.from('server-side bytes');
  await h.client.putObject({
    Bucket: a,
    Key: 'docs/report.txt',
    Body: data,
    ContentType: 'text/x-report',
    Metadata: { 'x-cos-meta-owner': 'alice' },
  });
  await h.client.putObject({ Bucket: a, Key: 'docs/sub/b.log', Body: 'log line' });
  await h.client.putObject({ Bucket: a, Key: 'docs/sub/c.txt', Body: 'c' });

  const one = await h.run([
    'cp',
    `cos://${a}/docs/report.txt`,
    `cos://${b}/copies/`,
    '--storage-class',
    'STANDARD_IA',
  ]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(
    one.stdout,
    new RegExp(`^copied: cos://${a}/docs/report.txt -> cos://${b}/copies/report.txt \\(17 B\\)`),
  );
  assert.match(one.stderr, /done: 1 copied \(17 B\), 0 skipped, 0 failed .*copied by the server/);
  assert.deepEqual(await h.get(b, 'copies/report.txt'), data);
  const head = await h.client.headObject({ Bucket: b, Key: 'copies/report.txt' });
  assert.equal(head['Content-Type'], 'text/x-report', 'metadata kept (Copy)');
  assert.deepEqual(head.Metadata, { 'x-cos-meta-owner': 'alice' });
  assert.equal(head['x-cos-storage-class'], 'STANDARD_IA');
  assert.equal(head['x-cos-hash-crc64ecma'], crcOf(data));

  const replaced = await h.run([
    'cp',
    `cos://${a}/docs/report.txt`,
    `cos://${b}/r.txt`,
    '--meta',
    'owner=bob',
  ]);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.deepEqual((await h.client.headObject({ Bucket: b, Key: 'r.txt' })).Metadata, {
    'x-cos-meta-owner': 'bob',
  });

  const tree = await h.run([
    'cp',
    '-r',
    `cos://${a}/docs`,
    `cos://${b}/tree/`,
    '--exclude',
    '*.log',
    '--json',
  ]);
  assert.equal(tree.code, 0, tree.stderr);
  const files = jsonLines(tree.stdout).filter((e) => e['event'] === 'file');
  assert.deepEqual(files.map((e) => [e['status'], e['target']]).sort(), [
    ['copied', `cos://${b}/tree/report.txt`],
    ['copied', `cos://${b}/tree/sub/c.txt`],
  ]);
  assert.deepEqual(await keysOf(b, 'tree/'), ['tree/report.txt', 'tree/sub/c.txt']);
  assert.deepEqual(
    await keysOf(a),
    ['docs/report.txt', 'docs/sub/b.log', 'docs/sub/c.txt'],
    'cp leaves the source',
  );
});

test('mv deletes each source only after its copy arrived: local → COS, COS → local, COS → COS, folders', async () => {
  const bucket = await h.bucket();
  const file = join(h.dir, 'mv', 'one.bin');
  const bytes = await randomFile(file, 3000);
  const up = await h.run(['mv', file, `cos://${bucket}/in/`]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /^uploaded: .*one\.bin -> cos:\/\/.*\/in\/one\.bin/m);
  assert.match(up.stdout, new RegExp(`^deleted: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  await assert.rejects(stat(file), { code: 'ENOENT' });
  assert.deepEqual(await h.get(bucket, 'in/one.bin'), bytes);

  const moved = await h.run(['mv', `cos://${bucket}/in/one.bin`, `cos://${bucket}/done/one.bin`]);
  assert.equal(moved.code, 0, moved.stderr);
  assert.deepEqual(await keysOf(bucket), ['done/one.bin']);
  assert.deepEqual(await h.get(bucket, 'done/one.bin'), bytes);

  const down = await h.run(['mv', `cos://${bucket}/done/one.bin`, join(h.dir, 'mv', 'back.bin')]);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(await readFile(join(h.dir, 'mv', 'back.bin')), bytes);
  assert.deepEqual(await keysOf(bucket), []);

  const dir = join(h.dir, 'mv', 'tree');
  const a = await randomFile(join(dir, 'a.txt'), 10);
  await randomFile(join(dir, 'keep.tmp'), 5);
  const b = await randomFile(join(dir, 'sub', 'b.txt'), 20);
  const folder = await h.run(['mv', '-r', dir, `cos://${bucket}/t/`, '--exclude', '*.tmp', '--json']);
  assert.equal(folder.code, 0, folder.stderr);
  const summary = jsonLines(folder.stdout).find((e) => e['event'] === 'summary');
  assert.equal(summary?.['deleted'], 2);
  assert.deepEqual(await keysOf(bucket), ['t/a.txt', 't/sub/b.txt']);
  await assert.rejects(stat(join(dir, 'a.txt')), { code: 'ENOENT' });
  assert.equal((await stat(join(dir, 'keep.tmp'))).size, 5, 'an excluded file stays');

  const prefix = await h.run(['mv', '-r', `cos://${bucket}/t/`, join(h.dir, 'mv', 'out')]);
  assert.equal(prefix.code, 0, prefix.stderr);
  assert.deepEqual(await readFile(join(h.dir, 'mv', 'out', 'a.txt')), a);
  assert.deepEqual(await readFile(join(h.dir, 'mv', 'out', 'sub', 'b.txt')), b);
  assert.deepEqual(await keysOf(bucket), []);
});

test('a move that fails keeps its source; mv refuses "-" and --no-crc64 before any request', async () => {
  const bucket = await h.bucket();
  await h.client.putObject({ Bucket: bucket, Key: 'taken.txt', Body: 'already here' });
  const file = join(h.dir, 'mv-fail.txt');
  await writeFile(file, 'mine');
  const r = await h.run(['mv', file, `cos://${bucket}/taken.txt`, '--no-clobber']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /409 FileAlreadyExists/);
  assert.equal(await readFile(file, 'utf8'), 'mine', 'the source stays');
  assert.equal((await h.get(bucket, 'taken.txt')).toString(), 'already here');
  for (const [args, message] of [
    [['mv', '-', `cos://${bucket}/x`], /mv cannot move standard input/],
    [['mv', file, `cos://${bucket}/x`, '--no-crc64'], /drop --no-crc64/],
    [['cp', `cos://${bucket}/taken.txt`, `cos://${bucket}/taken.txt`], /onto itself/],
    [['cp', '-r', `cos://${bucket}/p/`, `cos://${bucket}/p`], /are the same prefix/],
  ] as const) {
    const bad = await h.run(args);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, message);
  }
});

test('--tags tags uploads and copies; --no-clobber refuses existing keys and keeps existing local files', async () => {
  const bucket = await h.bucket();
  const file = join(h.dir, 'tagged.txt');
  await writeFile(file, 'tagged bytes');
  const up = await h.run(['cp', file, `cos://${bucket}/tagged.txt`, '--tags', 'team=web&env=prod']);
  assert.equal(up.code, 0, up.stderr);
  const tags = await h.client.getObjectTagging({ Bucket: bucket, Key: 'tagged.txt' });
  assert.deepEqual(tags.TagSet.Tag.map((t) => `${t.Key}=${t.Value}`).sort(), ['env=prod', 'team=web']);
  const copied = await h.run([
    'cp',
    `cos://${bucket}/tagged.txt`,
    `cos://${bucket}/copy.txt`,
    '--tags',
    'stage=2',
  ]);
  assert.equal(copied.code, 0, copied.stderr);
  const copyTags = await h.client.getObjectTagging({ Bucket: bucket, Key: 'copy.txt' });
  assert.deepEqual(
    copyTags.TagSet.Tag.map((t) => `${t.Key}=${t.Value}`),
    ['stage=2'],
  );
  const badTags = await h.run(['cp', file, `cos://${bucket}/x.txt`, '--tags', 'novalue']);
  assert.equal(badTags.code, 2);
  assert.match(badTags.stderr, /--tags must be key=value pairs/);
  // --tags and --meta x-cos-tagging:… set one header: they must agree; agreeing, both are fine.
  const clash = await h.run([
    'cp',
    file,
    `cos://${bucket}/x.txt`,
    '--tags',
    'a=1',
    '--meta',
    'x-cos-tagging:a=2',
  ]);
  assert.equal(clash.code, 2);
  assert.match(clash.stderr, /set the same header to different values/);
  const agree = await h.run([
    'cp',
    file,
    `cos://${bucket}/both.txt`,
    '--tags',
    'a=1',
    '--meta',
    'x-cos-tagging:a=1',
  ]);
  assert.equal(agree.code, 0, agree.stderr);
  const bothTags = await h.client.getObjectTagging({ Bucket: bucket, Key: 'both.txt' });
  assert.deepEqual(
    bothTags.TagSet.Tag.map((t) => `${t.Key}=${t.Value}`),
    ['a=1'],
  );

  await writeFile(file, 'other bytes');
  for (const args of [
    ['cp', file, `cos://${bucket}/tagged.txt`, '--no-clobber'],
    ['cp', `cos://${bucket}/copy.txt`, `cos://${bucket}/tagged.txt`, '--no-clobber'],
  ]) {
    const r = await h.run(args);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /409 FileAlreadyExists/);
  }
  assert.equal((await h.get(bucket, 'tagged.txt')).toString(), 'tagged bytes', 'nothing replaced');

  const local = join(h.dir, 'existing.txt');
  await writeFile(local, 'local stays');
  // -v: a skipped file has its own line only when asked (issue 13 item 3).
  const down = await h.run(['cp', `cos://${bucket}/tagged.txt`, local, '--no-clobber', '-v']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^skipped: .* \(.*the local file exists \(--no-clobber\)\)/m);
  assert.equal(await readFile(local, 'utf8'), 'local stays');
  const fresh = await h.run(['cp', `cos://${bucket}/tagged.txt`, join(h.dir, 'fresh.txt'), '--no-clobber']);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.equal(await readFile(join(h.dir, 'fresh.txt'), 'utf8'), 'tagged bytes');
});
