/** `coskit cp`: files, folders, downloads, standard input/output, skip-existing, failures. */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, crcOf, jsonLines, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** Every file under `dir`, relative, `/`-separated, with its bytes. */
async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  return out;
}

/** Nested folders, unicode names, empty files, one multipart-sized file. */
async function makeTree(dir: string): Promise<Map<string, Buffer>> {
  const files: [string, number][] = [
    ['a.txt', 100],
    ['empty.bin', 0],
    ['nested/deeper/deepest/file.dat', 5000],
    ['nested/empty-too', 0],
    ['ünïcødé/文件 名.txt', 42],
    ['ünïcødé/эмодзи-🎉.bin', 1234],
    ['big/large.bin', 21 * 1024 * 1024 + 7],
  ];
  for (const [name, size] of files) await randomFile(join(dir, name), size);
  return tree(dir);
}

test('cp uploads one file: key ending in "/" takes the file name; headers reach the object; plain output', async () => {
  const bucket = await h.bucket();
  const data = await randomFile(join(h.dir, 'one', 'report.json'), 3000);
  const r = await h.run([
    'cp',
    join(h.dir, 'one', 'report.json'),
    `cos://${bucket}/docs/`,
    '--meta',
    'owner=alice',
    '--meta',
    'x-cos-meta-team=storage',
    '--storage-class',
    'standard_ia',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(`^uploaded: .*report\\.json -> cos://${bucket}/docs/report\\.json \\(2\\.93 KiB\\)$`, 'm'),
  );
  assert.match(r.stderr, /^done: 1 uploaded \(2\.93 KiB\), 0 skipped, 0 failed in [\d.]+ s; 2\.93 KiB sent/m);
  assert.ok(!(r.stdout + r.stderr).includes('\u001b['), 'no terminal escapes when not on a TTY');
  assert.deepEqual(await h.get(bucket, 'docs/report.json'), data);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'docs/report.json' });
  assert.equal(head['x-cos-hash-crc64ecma'], crcOf(data));
  assert.equal(head['Content-Type'], 'application/json', 'guessed from the name');
  assert.equal(head['x-cos-storage-class'], 'STANDARD_IA');
  assert.deepEqual(head.Metadata, { 'x-cos-meta-owner': 'alice', 'x-cos-meta-team': 'storage' });
});

test("headers by their names: --cache-control and friends, and --meta in coscli's Name:value#Name:value form", async () => {
  const bucket = await h.bucket();
  const path = join(h.dir, 'one', 'page.html');
  await randomFile(path, 500);
  const r = await h.run([
    'cp',
    path,
    `cos://${bucket}/site/`,
    '--meta',
    'Cache-Control:no-cache#Content-Disposition:attachment; filename=p.html#x-cos-meta-owner:alice#Expires:2030-01-02T03:04:05Z',
    '--meta',
    'Content-Language=zh-CN',
    '--meta',
    'team=storage',
    '--content-encoding',
    'identity',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const head = await h.client.headObject({ Bucket: bucket, Key: 'site/page.html' });
  assert.equal(head.headers['cache-control'], 'no-cache', 'a standard name is that header');
  assert.equal(head.headers['content-disposition'], 'attachment; filename=p.html');
  assert.equal(head.headers['content-language'], 'zh-CN');
  assert.equal(head.headers['content-encoding'], 'identity');
  assert.equal(head.headers['expires'], 'Wed, 02 Jan 2030 03:04:05 GMT');
  assert.deepEqual(head.Metadata, { 'x-cos-meta-owner': 'alice', 'x-cos-meta-team': 'storage' });
  assert.equal(head.headers['x-cos-meta-cache-control'], undefined, 'never x-cos-meta-cache-control');

  const flags = await h.run([
    'cp',
    path,
    `cos://${bucket}/flags.html`,
    '--cache-control',
    'max-age=60',
    '--content-disposition',
    'inline',
    '--content-language',
    'en',
    '--expires',
    'Mon, 12 Oct 2026 00:00:00 GMT',
    '--content-type',
    'text/html; charset=utf-8',
  ]);
  assert.equal(flags.code, 0, flags.stderr);
  const h2 = await h.client.headObject({ Bucket: bucket, Key: 'flags.html' });
  assert.equal(h2.headers['cache-control'], 'max-age=60');
  assert.equal(h2.headers['content-disposition'], 'inline');
  assert.equal(h2.headers['content-language'], 'en');
  assert.equal(h2.headers['expires'], 'Mon, 12 Oct 2026 00:00:00 GMT');
  assert.equal(h2['Content-Type'], 'text/html; charset=utf-8');
});

test('cp -r uploads a tree (nested, unicode, empty files, multipart) and downloads it back; --json parses', async () => {
  const bucket = await h.bucket();
  const src = join(h.dir, 'tree-src');
  const files = await makeTree(src);
  const up = await h.run(['cp', '-r', src, `cos://${bucket}/backup`, '--json', '--part-size', '4M']);
  assert.equal(up.code, 0, up.stderr);
  const events = jsonLines(up.stdout);
  const done = events.filter((e) => e['event'] === 'file');
  assert.equal(done.length, files.size);
  assert.ok(done.every((e) => e['status'] === 'uploaded'));
  const summary = events.find((e) => e['event'] === 'summary');
  assert.deepEqual(
    { files: summary?.['files'], failed: summary?.['failed'], skipped: summary?.['skipped'] },
    { files: files.size, failed: 0, skipped: 0 },
  );
  for (const [name, data] of files) {
    assert.deepEqual(await h.get(bucket, `backup/${name}`), data, name);
  }
  const listed = await h.client.listObjects({ Bucket: bucket, Prefix: 'backup/' });
  assert.equal(listed.Contents.length, files.size, 'the folder itself is not an object; only its contents');

  const dest = join(h.dir, 'tree-dst');
  const down = await h.run([
    'cp',
    '-r',
    `cos://${bucket}/backup/`,
    dest,
    '--part-size',
    '2M',
    '--threads',
    '3',
  ]);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, new RegExp(`done: ${files.size} downloaded`));
  assert.deepEqual(await tree(dest), files);
});

test('cp downloads one large object with parallel ranged GETs, into a folder, and to standard output', async () => {
  const bucket = await h.bucket();
  const data = await randomFile(join(h.dir, 'dl', 'movie.bin'), 9 * 1024 * 1024 + 3);
  await h.client.uploadFile({
    Bucket: bucket,
    Key: 'movie.bin',
    LocalFilePath: join(h.dir, 'dl', 'movie.bin'),
  });
  const folder = join(h.dir, 'dl', 'into');
  await mkdir(folder, { recursive: true });
  const r = await h.run([
    'cp',
    `cos://${bucket}/movie.bin`,
    folder,
    '--part-size',
    '1',
    '--threads',
    '4',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const file = jsonLines(r.stdout).find((e) => e['event'] === 'file');
  assert.equal(file?.['status'], 'downloaded');
  assert.equal(file?.['crc64'], crcOf(data));
  assert.deepEqual(await readFile(join(folder, 'movie.bin')), data);
  assert.deepEqual(
    (await readdir(folder)).sort(),
    ['movie.bin'],
    'no partial file or checkpoint is left beside the download',
  );
  const again = await h.run(['cp', `cos://${bucket}/movie.bin`, folder, '--skip-existing']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, '', 'a skipped file is only counted without -v');
  assert.match(again.stderr, /^done: 0 downloaded \(0 B\), 1 skipped, 0 failed .*; 0 B received$/m);
  const verbose = await h.run(['cp', `cos://${bucket}/movie.bin`, folder, '--skip-existing', '-v']);
  assert.match(verbose.stdout, /^skipped: .*movie\.bin .*same size and CRC-64/m);
  const out = await h.run(['cp', `cos://${bucket}/movie.bin`, '-']);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.stdoutBytes, data);
});

test('cp - reads standard input; cat writes an object to standard output', async () => {
  const bucket = await h.bucket();
  const text = 'line one\nline two\n'.repeat(1000);
  const up = await h.run(['cp', '-', `cos://${bucket}/from-stdin.txt`], { input: text });
  assert.equal(up.code, 0, up.stderr);
  assert.equal((await h.get(bucket, 'from-stdin.txt')).toString(), text);
  const cat = await h.run(['cat', `cos://${bucket}/from-stdin.txt`]);
  assert.equal(cat.code, 0, cat.stderr);
  assert.equal(cat.stdout, text);
  const part = await h.run(['cat', `cos://${bucket}/from-stdin.txt`, '--range', '5-7']);
  assert.equal(part.stdout, 'one');
});

test('cp -r --skip-existing uploads only files whose object differs; --include/--exclude filter', async () => {
  const bucket = await h.bucket();
  const src = join(h.dir, 'skip-src');
  await randomFile(join(src, 'keep/a.txt'), 10);
  await randomFile(join(src, 'keep/b.txt'), 20);
  await randomFile(join(src, 'keep/c.log'), 30);
  await randomFile(join(src, 'node_modules/x/index.js'), 40);
  const first = await h.run([
    'cp',
    '-r',
    src,
    `cos://${bucket}/s/`,
    '--exclude',
    'node_modules',
    '--exclude',
    '*.log',
  ]);
  assert.equal(first.code, 0, first.stderr);
  const keys = (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key).sort();
  assert.deepEqual(keys, ['s/keep/a.txt', 's/keep/b.txt']);

  await writeFile(join(src, 'keep/b.txt'), 'changed!');
  const second = await h.run([
    'cp',
    '-r',
    src,
    `cos://${bucket}/s/`,
    '--skip-existing',
    '--include',
    'keep/*.txt',
    '--json',
  ]);
  assert.equal(second.code, 0, second.stderr);
  const files = jsonLines(second.stdout).filter((e) => e['event'] === 'file');
  const status = Object.fromEntries(files.map((e) => [String(e['target']).split('/').pop(), e['status']]));
  assert.deepEqual(status, { 'a.txt': 'skipped', 'b.txt': 'uploaded' });
  assert.equal((await h.get(bucket, 's/keep/b.txt')).toString(), 'changed!');
});

test('a file that fails is listed with its reason, written to --fail-output, and the exit code is 1', async () => {
  const bucket = await h.bucket();
  const src = join(h.dir, 'fail-src');
  await randomFile(join(src, 'fine.txt'), 5);
  // 4 × 230 characters: a valid path, but a key longer than the 850 bytes COS allows.
  const long = Array.from({ length: 4 }, (_, i) => String(i).repeat(230)).join('/');
  await randomFile(join(src, long), 5);
  const report = join(h.dir, 'failures.jsonl');
  const r = await h.run(['cp', '-r', src, `cos://${bucket}/f/`, '--fail-output', report]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^uploaded: .*fine\.txt/m);
  assert.match(r.stderr, /^failed: .*0{230}.* -> cos:\/\/.*: .*850/m);
  assert.match(r.stderr, /^1 file\(s\) failed:$/m);
  assert.match(r.stderr, /done: 1 uploaded .*, 0 skipped, 1 failed/);
  const lines = jsonLines(await readFile(report, 'utf8'));
  assert.equal(lines.length, 1);
  assert.match(String(lines[0]?.['source']), /3{230}$/);
  assert.match(String(lines[0]?.['error']), /850/);
  assert.equal(lines[0]?.['code'], 'COS_INVALID_ARGUMENT');
});
