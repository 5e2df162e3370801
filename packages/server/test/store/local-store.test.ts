/** The local (durable) store against the store contract, its crash points, and its compaction. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Crc64, crc64ToDecimal } from '@coskit/protocol';
import { FANOUT, planCompaction } from '../../src/store/local/compaction.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import { crashContract, entriesOf } from './contract/crash.js';
import { storeContract } from './contract/suite.js';
import { bodyOf, contentOf } from './contract/support.js';

/** Total size of the blob files under `dataDir`. */
async function blobBytes(dataDir: string): Promise<number> {
  const dir = join(dataDir, 'blobs');
  let total = 0;
  for (const name of await readdir(dir, { recursive: true })) {
    const info = await stat(join(dir, String(name)));
    if (info.isFile()) total += info.size;
  }
  return total;
}

/** Bytes the store keeps in inline blobs (in the index, not in blob files). */
function inlineBytes(store: LocalStore): number {
  return store.inlineBlobs().reduce((total, b) => total + b.length, 0);
}

storeContract({
  name: 'local',
  async open() {
    const dataDir = await mkdtemp(join(tmpdir(), 'coskit-contract-local-'));
    const store = await LocalStore.open(dataDir);
    await store.recover();
    return {
      store,
      footprint: async () => (await blobBytes(dataDir)) + inlineBytes(store),
      settle: () => store.settled(),
      async dispose() {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
});

crashContract({
  name: 'local',
  childScript: fileURLToPath(new URL('./contract/crash-child.js', import.meta.url)),
  points: [
    ...(['blob-synced', 'blob-published', 'committed', 'collected'] as const).map((step) => ({
      scenario: 'put' as const,
      operation: 'put',
      step,
    })),
    ...(['blob-synced', 'blob-published', 'committed'] as const).map((step) => ({
      scenario: 'append' as const,
      operation: 'append',
      step,
    })),
    // The compaction the 16th append starts.
    ...(['blob-synced', 'blob-published', 'committed', 'collected'] as const).map((step) => ({
      scenario: 'append' as const,
      operation: 'compact',
      step,
    })),
    { scenario: 'complete', operation: 'complete', step: 'committed' },
    { scenario: 'complete', operation: 'complete', step: 'collected' },
    { scenario: 'delete', operation: 'delete', step: 'committed' },
    { scenario: 'delete', operation: 'delete', step: 'collected' },
    { scenario: 'part', operation: 'part', step: 'blob-published' },
    { scenario: 'part', operation: 'part', step: 'committed' },
    { scenario: 'abort', operation: 'abort', step: 'committed' },
    { scenario: 'bucket-cors', operation: 'bucket', step: 'committed' },
    ...(['blob-published', 'committed'] as const).map((step) => ({
      scenario: 'versioned-put' as const,
      operation: 'put',
      step,
    })),
    // Small PUTs are one commit (no blob file): the crash points are the commit and the collection
    // of what it replaced (j's old inline blob).
    { scenario: 'put-inline', operation: 'put', step: 'committed' },
    { scenario: 'put-inline', operation: 'put', step: 'collected' },
    { scenario: 'delete-marker', operation: 'delete', step: 'committed' },
    { scenario: 'delete-version', operation: 'delete', step: 'committed' },
    { scenario: 'suspended-put', operation: 'put', step: 'committed' },
    { scenario: 'suspended-put', operation: 'put', step: 'collected' },
    { scenario: 'copy', operation: 'copy', step: 'committed' },
    { scenario: 'copy', operation: 'copy', step: 'collected' },
    { scenario: 'delete-multiple', operation: 'delete-multiple', step: 'committed' },
    { scenario: 'delete-multiple', operation: 'delete-multiple', step: 'collected' },
    { scenario: 'headers', operation: 'headers', step: 'committed' },
  ],
  open: (dataDir) => LocalStore.open(dataDir),
  footprint: async (dataDir, store) => (await blobBytes(dataDir)) + inlineBytes(store as LocalStore),
  leftovers: (dataDir) => entriesOf(join(dataDir, 'tmp')),
});

test('local: 600 one-byte appends compact to a short segment list; bytes, ETag and CRC-64 unchanged', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-compaction-'));
  const store = await LocalStore.open(dataDir);
  try {
    await store.createBucket('c-1250000000', { created: 0, acl: 'private', grants: {} });
    const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => i % 251));
    let last: Awaited<ReturnType<LocalStore['appendObject']>> | undefined;
    for (let i = 0; i < bytes.length; i++) {
      last = await store.appendObject('c-1250000000', 'log', i, bodyOf(bytes.subarray(i, i + 1)), {
        headers: {},
      });
    }
    await store.settled();
    const segments = store.segmentCount('c-1250000000', 'log')!;
    // 600 = 2·256 + 5·16 + 8·1: in base 16, at most 15 segments per level, 3 levels.
    assert.equal(segments, 2 + 5 + 8, 'one segment per base-16 digit');
    const info = await store.getObject('c-1250000000', 'log');
    assert.equal(info?.etag, last?.etag);
    assert.equal(info?.crc64, last?.crc64);
    assert.ok((await contentOf(store, 'c-1250000000', 'log'))?.equals(bytes));
    assert.equal(await blobBytes(dataDir), bytes.length, 'merged-away blobs are freed');
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('compaction plan: 16 adjacent small segments of one level; large segments are never merged', () => {
  const seg = (size: number, level = 0) => ({ blob: `b${Math.random()}`, size, level });
  assert.equal(planCompaction(Array.from({ length: FANOUT - 1 }, () => seg(10))), undefined);
  assert.deepEqual(planCompaction(Array.from({ length: FANOUT }, () => seg(10))), {
    start: 0,
    level: 0,
    size: 160,
  });
  const mixed = [seg(10, 1), ...Array.from({ length: FANOUT }, () => seg(10))];
  assert.equal(planCompaction(mixed)?.start, 1);
  const big = Array.from({ length: FANOUT }, (_, i) => seg(i === 8 ? 5 * 1024 * 1024 : 10));
  assert.equal(planCompaction(big), undefined);
});

test('local: large and unknown-length bodies hashed on the worker pool get the ETag and CRC-64 of the stored bytes; a broken body stores nothing', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-local-hash-pool-'));
  const store = await LocalStore.open(dataDir);
  try {
    await store.recover();
    await store.createBucket('b', { created: Date.now(), acl: 'private', grants: {} });
    // 5 MiB + 7 bytes in odd-sized chunks: several pooled batches and a partial last one.
    const bytes = randomBytes(5 * 1024 * 1024 + 7);
    const md5 = createHash('md5').update(bytes).digest('hex');
    const crc = new Crc64();
    crc.update(bytes);
    const crc64 = crc64ToDecimal(crc.digest());
    for (const declaredLength of [bytes.length, null]) {
      const key = `big-${declaredLength ?? 'chunked'}`;
      const info = await store.putObject('b', key, bodyOf(bytes, { chunk: 65_521, declaredLength }), {
        headers: {},
      });
      assert.equal(info.etag, `"${md5}"`);
      assert.equal(info.crc64, crc64);
      assert.deepEqual(await contentOf(store, 'b', key), bytes);
    }
    // A body that breaks after 3 MiB (a dropped connection) stores nothing, and the pool still works.
    async function* broken() {
      for (let i = 0; i < 3; i++) yield Buffer.alloc(1024 * 1024, i);
      throw new Error('connection reset');
    }
    await assert.rejects(
      store.putObject(
        'b',
        'broken',
        { stream: broken(), declaredLength: undefined, md5: undefined },
        { headers: {} },
      ),
      /connection reset/,
    );
    assert.equal(await store.getObject('b', 'broken'), undefined);
    const again = await store.putObject('b', 'again', bodyOf(bytes, { declaredLength: null }), {
      headers: {},
    });
    assert.equal(again.etag, `"${md5}"`);
    assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('local: a clean close lets the next start skip the orphan sweep; the mark is taken at open, so a start after a crash sweeps', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-local-clean-'));
  const mark = join(dataDir, 'clean-shutdown');
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );
  // A blob file no record names, as a crash between rename and commit leaves (old enough to sweep).
  const orphan = join(dataDir, 'blobs', 'ff', 'ff'.repeat(16));
  try {
    const first = await LocalStore.open(dataDir);
    await first.recover();
    await first.createBucket('b', { created: Date.now(), acl: 'private', grants: {} });
    await first.putObject('b', 'kept', bodyOf(Buffer.from('kept bytes')), { headers: {} });
    assert.equal(await exists(mark), false, 'no mark while the store is open');
    await first.close();
    assert.equal(await exists(mark), true, 'a clean close leaves the mark');

    const second = await LocalStore.open(dataDir);
    assert.equal(await exists(mark), false, 'opening takes the mark: a crash from now on leaves none');
    await second.recover();
    assert.equal(await second.sweep(Date.now() + 1000), 0, 'a clean start has nothing to sweep');
    assert.deepEqual(await contentOf(second, 'b', 'kept'), Buffer.from('kept bytes'));
    await second.close();

    // What a crash leaves: no mark, and an orphan. The next start sweeps it, and only it.
    await rm(mark);
    await mkdir(join(dataDir, 'blobs', 'ff'), { recursive: true });
    await writeFile(orphan, 'orphan bytes');
    const third = await LocalStore.open(dataDir);
    try {
      await third.recover();
      assert.equal(await third.sweep(Date.now() + 1000), 1);
      assert.equal(await exists(orphan), false);
      assert.deepEqual(await contentOf(third, 'b', 'kept'), Buffer.from('kept bytes'));
    } finally {
      await third.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('local: PUT bodies up to 64 KiB live in the index (no blob file): GET, ranges, copy (shared), SSE-C, versions and delete read and free them', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-local-inline-'));
  const store = await LocalStore.open(dataDir);
  const footprint = async () => (await blobBytes(dataDir)) + inlineBytes(store);
  try {
    await store.recover();
    await store.createBucket('b', { created: Date.now(), acl: 'private', grants: {} });
    const small = randomBytes(64 * 1024);
    const over = randomBytes(64 * 1024 + 1);
    const info = await store.putObject('b', 'small', bodyOf(small, { chunk: 10_000 }), { headers: {} });
    assert.equal(info.etag, `"${createHash('md5').update(small).digest('hex')}"`);
    assert.equal(await blobBytes(dataDir), 0, 'a 64 KiB body writes no blob file');
    assert.equal(inlineBytes(store), small.length);
    await store.putObject('b', 'over', bodyOf(over), { headers: {} });
    assert.equal(await blobBytes(dataDir), over.length, 'one byte more is a blob file');
    const opened = await store.openObject('b', 'small');
    assert.ok(opened);
    // Overwritten while open: the opened object still reads its own bytes.
    await store.putObject('b', 'small', bodyOf(Buffer.from('newer')), { headers: {} });
    try {
      assert.deepEqual(await opened.readAll(), small);
      assert.deepEqual(await opened.readAll({ start: 100, end: 299 }), small.subarray(100, 300));
      const chunks: Buffer[] = [];
      for await (const c of opened.read({ start: 65_000, end: 65_535 })) chunks.push(c as Buffer);
      assert.deepEqual(Buffer.concat(chunks), small.subarray(65_000));
    } finally {
      opened.close();
    }
    assert.deepEqual(await contentOf(store, 'b', 'small'), Buffer.from('newer'));
    assert.equal(inlineBytes(store), 5, 'the replaced inline blob is freed');
    // A copy shares the inline blob; it is freed with its last holder.
    await store.copyObject(
      { bucket: 'b', key: 'small' },
      { bucket: 'b', key: 'copy' },
      { headersFor: (s) => s.headers },
    );
    assert.equal(inlineBytes(store), 5, 'a copy stores no byte');
    await store.deleteObject('b', 'small');
    assert.deepEqual(await contentOf(store, 'b', 'copy'), Buffer.from('newer'));
    await store.deleteObject('b', 'copy');
    assert.equal(inlineBytes(store), 0);
    // SSE-C: stored encrypted in the index, read back with the key only.
    const key = randomBytes(32);
    const secret = Buffer.from('a small secret');
    await store.putObject('b', 'sse', bodyOf(secret), { headers: {}, encryption: { type: 'SSE-C', key } });
    assert.equal(inlineBytes(store), secret.length);
    const sealed = await store.openObject('b', 'sse', { customerKey: key });
    try {
      assert.deepEqual(await sealed!.readAll(), secret);
    } finally {
      sealed?.close();
    }
    await assert.rejects(store.openObject('b', 'sse'));
    // Versions keep their inline blobs until the version itself is deleted.
    await store.setBucketVersioning('b', 'Enabled');
    const v1 = await store.putObject('b', 'v', bodyOf(Buffer.from('one')), { headers: {} });
    await store.putObject('b', 'v', bodyOf(Buffer.from('two!')), { headers: {} });
    const old = await store.openObject('b', 'v', { versionId: v1.versionId });
    try {
      assert.deepEqual(await old!.readAll(), Buffer.from('one'));
    } finally {
      old?.close();
    }
    const before = await footprint();
    await store.deleteObject('b', 'v', { versionId: v1.versionId });
    assert.equal(await footprint(), before - 3);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
