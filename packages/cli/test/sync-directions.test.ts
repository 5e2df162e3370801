/**
 * `coskit sync` in every direction — COS → local, COS → COS (server-side copies) — with
 * `--delete`, `--dryrun`/`--dry-run`, `--size-only`, `--exclude`; and local → COS comparing sizes
 * from one listing instead of a HEAD per file.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, jsonLines, randomFile, startHarness, startRequestLog } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const statuses = (stdout: string) =>
  Object.fromEntries(
    jsonLines(stdout)
      .filter((e) => e['event'] === 'file')
      .map((e) => [
        String(e['target'])
          .replace(/^cos:\/\/[^/]+\//, '')
          .replace(h.dir, ''),
        e['status'],
      ]),
  );
const deletedOf = (stdout: string) =>
  jsonLines(stdout)
    .filter((e) => e['event'] === 'deleted')
    .map((e) => String(e['target']).replace(h.dir, ''))
    .sort();
const keysOf = async (bucket: string, prefix = '') =>
  (await h.client.listObjects({ Bucket: bucket, Prefix: prefix })).Contents.map((c) => c.Key).sort();

test('sync cos://… FOLDER: downloads what is new or changed, --delete removes local extras, --size-only trusts sizes', async () => {
  const bucket = await h.bucket();
  const put = (Key: string, Body: string) => h.client.putObject({ Bucket: bucket, Key, Body });
  await put('p/a.txt', 'aaaa');
  await put('p/same.txt', 'same');
  await put('p/changed.txt', 'new!');
  await put('p/sub/c.txt', 'cc');
  await put('p/skip.log', 'log');
  const dir = join(h.dir, 'down');
  await randomFile(join(dir, 'stale.txt'), 3);
  await randomFile(join(dir, 'kept.log'), 3);
  await writeFile(join(dir, 'same.txt'), 'same');
  await writeFile(join(dir, 'changed.txt'), 'old!');

  const dry = await h.run(['sync', `cos://${bucket}/p`, dir, '--delete', '--dryrun', '--exclude', '*.log']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.trimEnd().split('\n').sort(), [
    `would delete: ${join(dir, 'stale.txt')}`,
    `would download: cos://${bucket}/p/a.txt -> ${join(dir, 'a.txt')} (new)`,
    `would download: cos://${bucket}/p/changed.txt -> ${join(dir, 'changed.txt')} (changed content)`,
    `would download: cos://${bucket}/p/sub/c.txt -> ${join(dir, 'sub', 'c.txt')} (new)`,
  ]);
  assert.match(dry.stderr, /dry run: 3 to download, 1 unchanged, 1 to delete; nothing changed/);
  assert.deepEqual((await readdir(dir)).sort(), ['changed.txt', 'kept.log', 'same.txt', 'stale.txt']);

  // Same size, other bytes: --size-only leaves it, the CRC-64 does not.
  const bySize = await h.run([
    'sync',
    `cos://${bucket}/p/`,
    dir,
    '--size-only',
    '--exclude',
    '*.log',
    '--json',
  ]);
  assert.equal(bySize.code, 0, bySize.stderr);
  assert.equal(statuses(bySize.stdout)[join('/down', 'changed.txt')], 'skipped');
  assert.equal(await readFile(join(dir, 'changed.txt'), 'utf8'), 'old!');

  const real = await h.run(['sync', `cos://${bucket}/p/`, dir, '--delete', '--exclude', '*.log', '--json']);
  assert.equal(real.code, 0, real.stderr);
  assert.deepEqual(statuses(real.stdout), {
    '/down/a.txt': 'skipped',
    '/down/changed.txt': 'downloaded',
    '/down/same.txt': 'skipped',
    '/down/sub/c.txt': 'skipped',
  });
  assert.deepEqual(deletedOf(real.stdout), ['/down/stale.txt']);
  assert.equal(await readFile(join(dir, 'changed.txt'), 'utf8'), 'new!');
  assert.deepEqual((await readdir(dir)).sort(), ['a.txt', 'changed.txt', 'kept.log', 'same.txt', 'sub']);
  assert.equal(
    // Bytes, not characters: the 3 random bytes may decode to fewer UTF-8 characters.
    await readFile(join(dir, 'kept.log')).then((b) => b.length),
    3,
    'excluded: not deleted',
  );
});

test('sync cos://a/… cos://b/…: copies on the server what differs, --delete removes target extras, --dry-run changes nothing', async () => {
  const a = await h.bucket();
  const b = await h.bucket();
  await h.client.putObject({ Bucket: a, Key: 'src/x.txt', Body: 'xxxx' });
  await h.client.putObject({ Bucket: a, Key: 'src/d/y.txt', Body: 'yy' });
  await h.client.putObject({ Bucket: a, Key: 'src/same.txt', Body: 'same' });
  await h.client.putObject({ Bucket: b, Key: 'dst/same.txt', Body: 'same' });
  await h.client.putObject({ Bucket: b, Key: 'dst/x.txt', Body: 'XXXX' });
  await h.client.putObject({ Bucket: b, Key: 'dst/stale.txt', Body: 'old' });

  const dry = await h.run(['sync', `cos://${a}/src/`, `cos://${b}/dst/`, '--delete', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.trimEnd().split('\n').sort(), [
    `would copy: cos://${a}/src/d/y.txt -> cos://${b}/dst/d/y.txt (new)`,
    `would copy: cos://${a}/src/x.txt -> cos://${b}/dst/x.txt (changed content)`,
    `would delete: cos://${b}/dst/stale.txt`,
  ]);
  assert.deepEqual(await keysOf(b), ['dst/same.txt', 'dst/stale.txt', 'dst/x.txt']);

  const real = await h.run(['sync', `cos://${a}/src/`, `cos://${b}/dst/`, '--delete', '--json']);
  assert.equal(real.code, 0, real.stderr);
  assert.deepEqual(statuses(real.stdout), {
    'dst/d/y.txt': 'copied',
    'dst/same.txt': 'skipped',
    'dst/x.txt': 'copied',
  });
  assert.deepEqual(deletedOf(real.stdout), [`cos://${b}/dst/stale.txt`]);
  assert.deepEqual(await keysOf(b), ['dst/d/y.txt', 'dst/same.txt', 'dst/x.txt']);
  assert.equal((await h.get(b, 'dst/x.txt')).toString(), 'xxxx');

  const again = await h.run(['sync', `cos://${a}/src/`, `cos://${b}/dst/`, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    new Set(Object.values(statuses(again.stdout))),
    new Set(['skipped']),
    'nothing left to copy',
  );

  const overlap = await h.run(['sync', `cos://${a}/src/`, `cos://${a}/src/inner/`]);
  assert.equal(overlap.code, 2);
  assert.match(overlap.stderr, /overlap/);
});

test('sync FOLDER cos://…: sizes come from one listing; a HEAD only where sizes match (none with --size-only)', async () => {
  const bucket = await h.bucket();
  const dir = join(h.dir, 'up');
  for (let i = 0; i < 5; i++) await randomFile(join(dir, `f${i}.bin`), 100 + i);
  const first = await h.run(['sync', dir, `cos://${bucket}/u/`]);
  assert.equal(first.code, 0, first.stderr);
  await randomFile(join(dir, 'f0.bin'), 100); // same size, other bytes
  await randomFile(join(dir, 'f1.bin'), 7); // another size

  const log = await startRequestLog(h.server.port);
  const bySize = await h.run([
    'sync',
    dir,
    `cos://${bucket}/u/`,
    '--size-only',
    '--json',
    '--endpoint',
    log.endpoint,
  ]);
  assert.equal(bySize.code, 0, bySize.stderr);
  assert.deepEqual(statuses(bySize.stdout), {
    'u/f0.bin': 'skipped',
    'u/f1.bin': 'uploaded',
    'u/f2.bin': 'skipped',
    'u/f3.bin': 'skipped',
    'u/f4.bin': 'skipped',
  });
  assert.equal(log.seen.filter((l) => l.startsWith('HEAD')).length, 0, 'no HEAD with --size-only');
  assert.equal(log.seen.filter((l) => l.startsWith('GET /?')).length, 1, 'one listing');

  log.seen.length = 0;
  const byCrc = await h.run(['sync', dir, `cos://${bucket}/u/`, '--json', '--endpoint', log.endpoint]);
  await log.close();
  assert.equal(byCrc.code, 0, byCrc.stderr);
  assert.equal(statuses(byCrc.stdout)['u/f0.bin'], 'uploaded', 'the CRC-64 sees the change');
  assert.equal(
    log.seen.filter((l) => l.startsWith('HEAD')).length,
    5,
    'a HEAD only for the five equal sizes',
  );
});
