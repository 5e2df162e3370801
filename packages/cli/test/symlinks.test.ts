/**
 * Symbolic links and odd files in a folder upload (issue 13 item 9): skipped by default with one
 * line each, followed with --symlinks follow (a loop is cut, not walked forever); a broken link is
 * reported, never silently dropped.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, startHarness } from './support/harness.js';

let h: CliHarness;
let dir: string;
before(async () => {
  h = await startHarness();
  dir = join(h.dir, 'links');
  await mkdir(join(dir, 'real', 'sub'), { recursive: true });
  await mkdir(join(h.dir, 'outside'), { recursive: true });
  await writeFile(join(dir, 'real', 'a.txt'), 'aaa');
  await writeFile(join(dir, 'real', 'sub', 'b.txt'), 'bb');
  await writeFile(join(h.dir, 'outside', 'c.txt'), 'c');
  await symlink(join(dir, 'real', 'a.txt'), join(dir, 'file-link.txt'));
  await symlink(join(h.dir, 'outside'), join(dir, 'dir-link'));
  await symlink(join(dir, 'nowhere.txt'), join(dir, 'broken-link.txt'));
  await symlink(dir, join(dir, 'real', 'sub', 'loop'));
});
after(async () => {
  await h.close();
});

async function keys(bucket: string): Promise<string[]> {
  return (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key).sort();
}

test('default: links are skipped, one line each saying so; only regular files go up', async () => {
  const bucket = await h.bucket();
  const r = await h.run(['cp', '-r', dir, `cos://${bucket}/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await keys(bucket), ['real/a.txt', 'real/sub/b.txt']);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('skipped: '));
  assert.equal(lines.length, 4, r.stderr);
  for (const name of ['file-link.txt', 'dir-link', 'broken-link.txt', 'real/sub/loop'])
    assert.ok(
      lines.some(
        (l) => l.includes(name) && l.endsWith('(symbolic link; --symlinks follow uploads what it points to)'),
      ),
      name,
    );
});

test('--symlinks follow: files and folders behind links go up, the loop is cut, the broken link reported', async () => {
  const bucket = await h.bucket();
  const r = await h.run(['cp', '-r', dir, `cos://${bucket}/`, '--symlinks', 'follow']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await keys(bucket), ['dir-link/c.txt', 'file-link.txt', 'real/a.txt', 'real/sub/b.txt']);
  assert.match(r.stderr, /^skipped: .*broken-link\.txt \(broken symbolic link\)$/m);
  assert.match(r.stderr, /^skipped: .*real\/sub\/loop \(symbolic link loop\)$/m);
  assert.equal((await h.get(bucket, 'file-link.txt')).toString(), 'aaa');
  const bad = await h.run(['cp', '-r', dir, `cos://${bucket}/`, '--symlinks', 'maybe']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--symlinks.*maybe.*Allowed choices are skip, follow/);
});
