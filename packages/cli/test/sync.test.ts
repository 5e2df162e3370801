/** `coskit sync`: only new or changed files go up (size, then CRC-64); --delete removes the rest. */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, jsonLines, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

function statuses(stdout: string): Record<string, unknown> {
  return Object.fromEntries(
    jsonLines(stdout)
      .filter((e) => e['event'] === 'file')
      .map((e) => [String(e['target']).replace(/^cos:\/\/[^/]+\//, ''), e['status']]),
  );
}

test('sync uploads only new and changed files, --dry-run changes nothing, --delete removes the rest', async () => {
  const bucket = await h.bucket();
  const dir = join(h.dir, 'site');
  await randomFile(join(dir, 'index.html'), 2000);
  await randomFile(join(dir, 'css/site.css'), 300);
  await randomFile(join(dir, 'img/logo.png'), 5000);
  await randomFile(join(dir, 'empty.txt'), 0);
  await h.client.putObject({ Bucket: bucket, Key: 'www/stale.html', Body: 'old page' });
  await h.client.putObject({ Bucket: bucket, Key: 'elsewhere.txt', Body: 'outside the prefix' });

  const first = await h.run(['sync', dir, `cos://${bucket}/www/`, '--json']);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(statuses(first.stdout), {
    'www/css/site.css': 'uploaded',
    'www/empty.txt': 'uploaded',
    'www/img/logo.png': 'uploaded',
    'www/index.html': 'uploaded',
  });

  // Same size, different bytes: only the CRC-64 tells them apart.
  const css = await randomFile(join(dir, 'css/site.css'), 300);
  await writeFile(join(dir, 'new.txt'), 'new file');
  await rm(join(dir, 'img/logo.png'));

  const dry = await h.run(['sync', dir, `cos://${bucket}/www`, '--delete', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.trimEnd().split('\n').sort(), [
    `would delete: cos://${bucket}/www/img/logo.png`,
    `would delete: cos://${bucket}/www/stale.html`,
    `would upload: ${join(dir, 'css/site.css')} -> cos://${bucket}/www/css/site.css (changed content)`,
    `would upload: ${join(dir, 'new.txt')} -> cos://${bucket}/www/new.txt (new)`,
  ]);
  assert.match(dry.stderr, /dry run: 2 to upload, 2 unchanged, 2 to delete; nothing changed/);
  assert.equal((await h.client.listObjects({ Bucket: bucket, Prefix: 'www/' })).Contents.length, 5);

  const second = await h.run(['sync', dir, `cos://${bucket}/www/`, '--delete', '--json']);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(statuses(second.stdout), {
    'www/css/site.css': 'uploaded',
    'www/empty.txt': 'skipped',
    'www/index.html': 'skipped',
    'www/new.txt': 'uploaded',
  });
  const events = jsonLines(second.stdout);
  assert.deepEqual(
    events
      .filter((e) => e['event'] === 'deleted')
      .map((e) => e['target'])
      .sort(),
    [`cos://${bucket}/www/img/logo.png`, `cos://${bucket}/www/stale.html`],
  );
  const summary = events.find((e) => e['event'] === 'summary');
  assert.equal(summary?.['deleted'], 2);
  assert.equal(summary?.['skipped'], 2);
  assert.deepEqual(await h.get(bucket, 'www/css/site.css'), css);
  const keys = (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key).sort();
  assert.deepEqual(keys, [
    'elsewhere.txt',
    'www/css/site.css',
    'www/empty.txt',
    'www/index.html',
    'www/new.txt',
  ]);

  const third = await h.run(['sync', dir, `cos://${bucket}/www/`, '--delete', '-v']);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(third.stdout.match(/^skipped: /gm)?.length, 4);
  assert.match(third.stderr, /done: 0 uploaded \(0 B\), 4 skipped, 0 failed, 0 deleted/);
});

test('sync --delete leaves excluded paths alone', async () => {
  const bucket = await h.bucket();
  const dir = join(h.dir, 'filtered');
  await randomFile(join(dir, 'keep.txt'), 10);
  await h.client.putObject({ Bucket: bucket, Key: 'p/remote-only.log', Body: 'log' });
  await h.client.putObject({ Bucket: bucket, Key: 'p/remote-only.txt', Body: 'txt' });
  const r = await h.run(['sync', dir, `cos://${bucket}/p/`, '--delete', '--exclude', '*.log']);
  assert.equal(r.code, 0, r.stderr);
  const keys = (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key).sort();
  assert.deepEqual(keys, ['p/keep.txt', 'p/remote-only.log']);
});
