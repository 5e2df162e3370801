/** Pure pieces of the transfer layer: part planning, progress, checkpoints, the part pool, walking. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type CheckpointData,
  CheckpointWriter,
  loadCheckpoint,
  saveCheckpoint,
} from '../src/node/checkpoint.js';
import { keyFor, walkDirectory } from '../src/node/directory-walk.js';
import { partAt, partsToSend, planParts } from '../src/transfer/part-plan.js';
import { runPool } from '../src/transfer/pool.js';
import { ProgressTracker } from '../src/transfer/progress.js';
import { Semaphore } from '../src/transfer/semaphore.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

test('part plan: exact multiples, a 1-byte last part, growth past 10 000 parts', () => {
  assert.deepEqual(planParts(3 * MiB, MiB), { partSize: MiB, partCount: 3, totalSize: 3 * MiB });
  const plan = planParts(3 * MiB + 1, MiB);
  assert.equal(plan.partCount, 4);
  assert.deepEqual(partAt(plan, 4), { partNumber: 4, start: 3 * MiB, end: 3 * MiB + 1 });
  const huge = planParts(100 * GiB, MiB);
  assert.ok(huge.partCount <= 10_000);
  assert.equal(huge.partSize % MiB, 0);
  assert.equal(huge.partSize, 11 * MiB);
  assert.equal(planParts(10_000 * MiB, MiB).partCount, 10_000);
  assert.equal(planParts(10_000 * MiB + 1, MiB).partSize, 2 * MiB);
  assert.throws(() => planParts(10_000 * 5 * GiB + 1, MiB), RangeError);
  assert.deepEqual(
    [...partsToSend(planParts(5 * MiB, MiB), (n) => n % 2 === 0)].map((p) => p.partNumber),
    [1, 3, 5],
  );
});

test('progress: monotonic, retries not counted twice, exactly one 100 % call', () => {
  const calls: [number, number][] = [];
  const p = new ProgressTracker(1000, (a, b) => calls.push([a, b]), 0);
  p.alreadyDone(100);
  p.sent(300);
  p.rollback(300); // attempt failed
  p.sent(200); // retry, not yet past the reported 400
  p.sent(200);
  p.sent(500);
  p.finish();
  p.finish();
  const values = calls.map((c) => c[0]);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]!, `not monotonic: ${values}`);
  assert.deepEqual(calls.at(-1), [1000, 1000]);
  assert.equal(calls.filter((c) => c[0] === 1000).length, 1);
  assert.ok(
    values.slice(0, -1).every((v) => v < 1000),
    'no intermediate 100 %',
  );
  const empty: [number, number][] = [];
  const e = new ProgressTracker(0, (a, b) => empty.push([a, b]));
  e.finish();
  assert.deepEqual(empty, [[0, 0]]);
});

test('checkpoint: atomic save, load, coalesced writes, garbage file ignored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coskit-cp-'));
  try {
    const path = join(dir, 'sub', 'cp.json');
    const data: CheckpointData = {
      version: 1,
      host: 'h',
      bucket: 'b-1',
      key: 'k',
      uploadId: 'u',
      partSize: MiB,
      partCount: 2,
      filePath: '/f',
      file: { size: 2, mtimeMs: 1, ino: 2, dev: 3 },
      parts: {},
    };
    await saveCheckpoint(path, data);
    assert.deepEqual(await loadCheckpoint(path), data);
    const writer = new CheckpointWriter(path);
    const saves = [1, 2, 3].map((n) =>
      writer.save({ ...data, parts: { [n]: { etag: `"${n}"`, crc64: '0', size: n } } }),
    );
    await Promise.all(saves);
    assert.deepEqual(Object.keys((await loadCheckpoint(path))!.parts), ['3']);
    assert.deepEqual(
      (await readdir(join(dir, 'sub'))).filter((n) => n.endsWith('.tmp')),
      [],
    );
    await writeFile(path, '{"torn');
    assert.equal(await loadCheckpoint(path), undefined);
    assert.equal(await loadCheckpoint(join(dir, 'missing.json')), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('part pool: at most N in flight, stops taking work after the first failure', async () => {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const plan = planParts(20 * MiB, MiB);
  await assert.rejects(
    runPool(
      partsToSend(plan, () => false),
      { workers: 3 },
      async (part) => {
        started.push(part.partNumber);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (part.partNumber === 4) throw new Error('boom');
      },
    ),
    /boom/,
  );
  assert.equal(peak, 3);
  assert.ok(started.length < 20, `kept going after the failure: ${started.length}`);
});

test('semaphore bounds holders and hands permits over in order', async () => {
  const s = new Semaphore(2);
  const a = await s.acquire();
  const b = await s.acquire();
  let third = false;
  const c = s.acquire().then((r) => {
    third = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(third, false);
  a();
  a(); // releasing twice is harmless
  (await c)();
  b();
  assert.equal(third, true);
});

test('directory walk: nested, unicode, empty files, symlinks to files, include/exclude', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coskit-walk-'));
  try {
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await mkdir(join(dir, '文件夹'));
    await writeFile(join(dir, 'top.txt'), 'x');
    await writeFile(join(dir, 'a', 'b', 'deep.log'), 'yy');
    await writeFile(join(dir, '文件夹', '空.txt'), '');
    await writeFile(join(dir, '.hidden'), 'h');
    await symlink(join(dir, 'top.txt'), join(dir, 'link.txt'));
    const all = await walkDirectory(dir);
    assert.deepEqual(
      all.map((f) => f.relative),
      ['.hidden', 'a/b/deep.log', 'link.txt', 'top.txt', '文件夹/空.txt'],
    );
    assert.equal(all.find((f) => f.relative === '文件夹/空.txt')?.size, 0);
    const logs = await walkDirectory(dir, { include: ['**/*.log'] });
    assert.deepEqual(
      logs.map((f) => f.relative),
      ['a/b/deep.log'],
    );
    const noHidden = await walkDirectory(dir, { exclude: ['.*', '**/*.log'] });
    assert.deepEqual(
      noHidden.map((f) => f.relative),
      ['link.txt', 'top.txt', '文件夹/空.txt'],
    );
    assert.equal(keyFor('backup/', 'a/b.txt'), 'backup/a/b.txt');
    assert.equal(keyFor('', 'x'), 'x');
    assert.equal(keyFor('/lead', '/x'), 'lead/x');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
