/**
 * The versioning part of the store contract (issue 11 item 5), run by `storeContract` on every
 * backend: what PUT/GET/DELETE with and without versionId, delete markers, Suspended `null`
 * versions, copies of versions and the versions listing must do. A seeded random run is checked
 * against a model of every key's versions.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { ListVersionsQuery, Store, VersionEntry } from '../../../src/store/store.js';
import { isWellFormedVersionId } from '../../../src/store/version-ids.js';
import { bodyOf, contentOf, eventually, type OpenedBackend, readAll, rejectsWith } from './support.js';

const headers = { 'content-type': 'text/plain' };

async function versionContent(store: Store, bucket: string, key: string, versionId: string) {
  const opened = await store.openObject(bucket, key, { versionId });
  if (!opened) return undefined;
  try {
    return (await readAll(opened.read())).toString();
  } finally {
    opened.close();
  }
}

/** Every entry of a listing, page by page with `maxKeys`, following the Next markers. */
async function listAll(
  store: Store,
  bucket: string,
  q: Partial<ListVersionsQuery> & { maxKeys: number },
): Promise<{ entries: VersionEntry[]; prefixes: string[]; pages: number }> {
  const entries: VersionEntry[] = [];
  const prefixes: string[] = [];
  let keyMarker = '';
  let versionIdMarker = '';
  for (let pages = 1; ; pages++) {
    const page = await store.listObjectVersions(bucket, {
      prefix: '',
      delimiter: '',
      ...q,
      keyMarker,
      versionIdMarker,
    });
    entries.push(...page.entries);
    prefixes.push(...page.commonPrefixes);
    assert.ok(page.entries.length + page.commonPrefixes.length <= q.maxKeys);
    if (!page.isTruncated) return { entries, prefixes, pages };
    keyMarker = page.nextKeyMarker!;
    versionIdMarker = page.nextVersionIdMarker ?? '';
    assert.ok(pages < 10_000, 'paging does not end');
  }
}

const brief = (e: VersionEntry) =>
  `${e.key}@${e.versionId}${e.deleteMarker ? ' DM' : ''}${e.isLatest ? ' latest' : ''}`;

export function versioningContract(ctx: {
  store: () => Store;
  backend: () => OpenedBackend;
  bucket: () => Promise<string>;
}): void {
  test('versioning: Enabled keeps every version with its own ID; objects from before are the null version', async () => {
    const store = ctx.store();
    const bkt = await ctx.bucket();
    const v0 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('v0')), { headers });
    assert.equal(v0.versionId, undefined, 'no versioning yet: no version ID');
    await rejectsWith(store.setBucketVersioning('gone-1250000000', 'Enabled'), 'NoSuchBucket');
    await store.setBucketVersioning(bkt, 'Enabled');
    assert.equal((await store.getBucket(bkt))?.versioning, 'Enabled');
    const v1 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('v1')), { headers });
    const v2 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('v2')), { headers });
    assert.ok(v1.versionId && v2.versionId && v1.versionId !== v2.versionId);
    assert.ok(isWellFormedVersionId(v1.versionId) && v1.versionId !== 'null');
    assert.equal((await contentOf(store, bkt, 'k'))?.toString(), 'v2');
    assert.equal(await versionContent(store, bkt, 'k', v1.versionId), 'v1');
    assert.equal(await versionContent(store, bkt, 'k', 'null'), 'v0');
    assert.equal((await store.getObject(bkt, 'k', { versionId: v2.versionId }))?.etag, v2.etag);
    assert.equal(await store.getObject(bkt, 'k', { versionId: 'MTg0NDUx' }), undefined);
    // The plain listing shows the key once; the versions listing every version, newest first.
    const plain = await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 10 });
    assert.deepEqual(
      plain.contents.map((c) => [c.key, c.info.etag]),
      [['k', v2.etag]],
    );
    const { entries } = await listAll(store, bkt, { maxKeys: 1000 });
    assert.deepEqual(entries.map(brief), [`k@${v2.versionId} latest`, `k@${v1.versionId}`, 'k@null']);
    // forbidOverwrite is ignored once the bucket has versioning (the write replaces nothing).
    const v3 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('v3')), { headers, forbidOverwrite: true });
    assert.equal((await contentOf(store, bkt, 'k'))?.toString(), 'v3');
    // Header updates address one version.
    await store.updateObjectHeaders(bkt, 'k', (c) => ({ ...c.headers, 'x-cos-meta-old': '1' }), {
      versionId: v1.versionId,
    });
    assert.equal(
      (await store.getObject(bkt, 'k', { versionId: v1.versionId }))?.headers['x-cos-meta-old'],
      '1',
    );
    assert.equal((await store.getObject(bkt, 'k'))?.headers['x-cos-meta-old'], undefined);
    await rejectsWith(
      store.updateObjectHeaders(bkt, 'k', (c) => c.headers, { versionId: 'MTg0NDUx' }),
      'NoSuchVersion',
    );
    assert.equal(v3.versionId !== undefined, true);
  });

  test('versioning: delete markers hide a key, deleting versions for good promotes the next one', async () => {
    const store = ctx.store();
    const bkt = await ctx.bucket();
    await store.setBucketVersioning(bkt, 'Enabled');
    const a = await store.putObject(bkt, 'k', bodyOf(Buffer.from('a')), { headers });
    const b = await store.putObject(bkt, 'k', bodyOf(Buffer.from('b')), { headers });
    const marker = await store.deleteObject(bkt, 'k');
    assert.equal(marker.deleteMarker, true);
    assert.ok(marker.versionId && marker.versionId !== b.versionId);
    assert.equal(await store.getObject(bkt, 'k'), undefined);
    assert.equal((await store.getDeleteMarker(bkt, 'k'))?.versionId, marker.versionId);
    assert.equal(
      (await store.getDeleteMarker(bkt, 'k', { versionId: marker.versionId }))?.versionId,
      marker.versionId,
    );
    assert.equal(await store.getDeleteMarker(bkt, 'k', { versionId: a.versionId }), undefined);
    assert.equal(await store.getObject(bkt, 'k', { versionId: marker.versionId }), undefined);
    assert.equal(await versionContent(store, bkt, 'k', b.versionId!), 'b', 'older versions stay readable');
    assert.deepEqual(
      (await store.listObjects(bkt, { prefix: '', delimiter: '', marker: '', maxKeys: 10 })).contents,
      [],
    );
    // A delete marker even for a key that never existed.
    assert.equal((await store.deleteObject(bkt, 'never')).deleteMarker, true);
    await rejectsWith(store.deleteBucket(bkt), 'BucketNotEmpty');
    // Removing the marker brings b back; removing b (current) promotes a.
    assert.deepEqual(await store.deleteObject(bkt, 'k', { versionId: marker.versionId }), {
      versionId: marker.versionId,
      deleteMarker: true,
    });
    assert.equal((await contentOf(store, bkt, 'k'))?.toString(), 'b');
    assert.deepEqual(await store.deleteObject(bkt, 'k', { versionId: b.versionId }), {
      versionId: b.versionId,
    });
    assert.equal((await contentOf(store, bkt, 'k'))?.toString(), 'a');
    assert.equal((await store.deleteObject(bkt, 'k', { versionId: b.versionId })).noSuchVersion, true);
    // Batch deletes answer per target, in order, in one commit.
    const outcomes = await store.deleteObjects(bkt, [
      { key: 'k', versionId: a.versionId },
      { key: 'never' },
      { key: 'x', versionId: 'MTg0NDUx' },
    ]);
    assert.equal(outcomes[0]?.versionId, a.versionId);
    assert.equal(outcomes[1]?.deleteMarker, true);
    assert.equal(outcomes[2]?.noSuchVersion, true);
    for (const e of (await listAll(store, bkt, { maxKeys: 1000 })).entries)
      await store.deleteObject(bkt, e.key, { versionId: e.versionId });
    assert.deepEqual((await listAll(store, bkt, { maxKeys: 1000 })).entries, []);
    await store.deleteBucket(bkt);
  });

  test('versioning: Suspended writes the null version, replacing the previous one; APPEND is refused', async () => {
    const store = ctx.store();
    const b = ctx.backend();
    const bkt = await ctx.bucket();
    await store.putObject(bkt, 'k', bodyOf(randomBytes(10_000)), { headers });
    await store.setBucketVersioning(bkt, 'Enabled');
    const kept = await store.putObject(bkt, 'k', bodyOf(Buffer.from('kept')), { headers });
    await store.setBucketVersioning(bkt, 'Suspended');
    await b.settle();
    const before = await b.footprint();
    const n1 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('n1')), { headers });
    assert.equal(n1.versionId, 'null');
    // The old null version (written before versioning) was replaced: its 10 000 bytes are freed.
    await eventually(async () => assert.equal(await b.footprint(), before + 2 - 10_000));
    const n2 = await store.putObject(bkt, 'k', bodyOf(Buffer.from('n2')), { headers });
    assert.equal(n2.versionId, 'null');
    const list = async () => (await listAll(store, bkt, { maxKeys: 1000 })).entries.map(brief);
    assert.deepEqual(await list(), ['k@null latest', `k@${kept.versionId}`]);
    assert.equal(await versionContent(store, bkt, 'k', kept.versionId!), 'kept');
    const marker = await store.deleteObject(bkt, 'k');
    assert.deepEqual(marker, { versionId: 'null', deleteMarker: true });
    assert.deepEqual(await list(), ['k@null DM latest', `k@${kept.versionId}`]);
    await store.setBucketVersioning(bkt, 'Enabled');
    const again = await store.putObject(bkt, 'k', bodyOf(Buffer.from('again')), { headers });
    assert.deepEqual(await list(), [`k@${again.versionId} latest`, 'k@null DM', `k@${kept.versionId}`]);
    await rejectsWith(
      store.appendObject(bkt, 'log', 0, bodyOf(Buffer.from('x')), { headers }),
      'InvalidRequest',
    );
    assert.equal(await store.getObject(bkt, 'log'), undefined);
  });

  test('versioning: a copy of a version shares its bytes; deleting every version frees them only with the last holder', async () => {
    const store = ctx.store();
    const b = ctx.backend();
    const bkt = await ctx.bucket();
    await store.setBucketVersioning(bkt, 'Enabled');
    await b.settle();
    const before = await b.footprint();
    const body = randomBytes(20_000);
    const old = await store.putObject(bkt, 'src', bodyOf(body), { headers });
    await store.putObject(bkt, 'src', bodyOf(Buffer.from('newer')), { headers });
    const copy = await store.copyObject(
      { bucket: bkt, key: 'src', versionId: old.versionId },
      { bucket: bkt, key: 'dst' },
      { headersFor: (s) => s.headers },
    );
    assert.ok(copy.versionId && copy.versionId !== old.versionId);
    assert.equal(copy.etag, old.etag);
    assert.equal(await b.footprint(), before + body.length + 5, 'the copy stored no byte');
    await rejectsWith(
      store.copyObject(
        { bucket: bkt, key: 'src', versionId: 'MTg0NDUx' },
        { bucket: bkt, key: 'dst' },
        { headersFor: (s) => s.headers },
      ),
      'NoSuchVersion',
    );
    const marker = await store.deleteObject(bkt, 'src');
    await rejectsWith(
      store.copyObject(
        { bucket: bkt, key: 'src' },
        { bucket: bkt, key: 'dst' },
        { headersFor: (s) => s.headers },
      ),
      'NoSuchCopySource',
    );
    for (const e of (await listAll(store, bkt, { maxKeys: 1000, prefix: 'src' })).entries)
      await store.deleteObject(bkt, 'src', { versionId: e.versionId });
    assert.ok((await contentOf(store, bkt, 'dst'))?.equals(body), 'the copy lost its bytes with the source');
    await store.deleteObject(bkt, 'dst', { versionId: copy.versionId });
    await b.settle();
    await eventually(async () => assert.equal(await b.footprint(), before));
    assert.ok(marker.versionId);
  });

  test('versioning: random writes, deletes and state changes match a model; listings page by both markers', async () => {
    const store = ctx.store();
    const bkt = await ctx.bucket();
    /** key → versions newest first. */
    const model = new Map<string, { id: string; marker: boolean; text: string }[]>();
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const KEYS = ['a', 'a/x', 'a/y', 'b', 'b/c/d', 'é', 'z'];
    let status: 'Enabled' | 'Suspended' | undefined;
    for (let step = 0; step < 160; step++) {
      const key = KEYS[rand(KEYS.length)]!;
      const versions = model.get(key) ?? [];
      model.set(key, versions);
      const op = rand(10);
      if (op === 0) {
        status = rand(2) === 0 ? 'Enabled' : 'Suspended';
        await store.setBucketVersioning(bkt, status);
      } else if (op <= 5) {
        const text = `${key}-${step}`;
        const info = await store.putObject(bkt, key, bodyOf(Buffer.from(text)), { headers });
        const id = info.versionId ?? 'null';
        if (status !== 'Enabled')
          versions.splice(0, versions.length, ...versions.filter((v) => v.id !== 'null'));
        if (status === undefined) versions.length = 0;
        versions.unshift({ id, marker: false, text });
      } else if (op <= 7) {
        const outcome = await store.deleteObject(bkt, key);
        if (status === undefined) versions.length = 0;
        else {
          if (status === 'Suspended')
            versions.splice(0, versions.length, ...versions.filter((v) => v.id !== 'null'));
          versions.unshift({ id: outcome.versionId!, marker: true, text: '' });
        }
      } else if (versions.length > 0) {
        const victim = versions[rand(versions.length)]!;
        const outcome = await store.deleteObject(bkt, key, { versionId: victim.id });
        assert.equal(outcome.noSuchVersion, undefined);
        versions.splice(versions.indexOf(victim), 1);
      }
      // The current object is the newest version unless that is a delete marker.
      const top = versions[0];
      const current = await contentOf(store, bkt, key);
      assert.equal(
        current?.toString(),
        top && !top.marker ? top.text : undefined,
        `${key} after step ${step}`,
      );
    }
    const expected = [...model.entries()]
      .sort(([x], [y]) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
      .flatMap(([key, versions]) =>
        versions.map((v, i) => `${key}@${v.id}${v.marker ? ' DM' : ''}${i === 0 ? ' latest' : ''}`),
      );
    const full = await listAll(store, bkt, { maxKeys: 1000 });
    assert.deepEqual(full.entries.map(brief), expected);
    for (const e of full.entries) {
      if (!e.deleteMarker)
        assert.equal(
          await versionContent(store, bkt, e.key, e.versionId),
          model.get(e.key)!.find((v) => v.id === e.versionId)!.text,
        );
    }
    for (const maxKeys of [1, 2, 3, 7]) {
      const paged = await listAll(store, bkt, { maxKeys });
      assert.deepEqual(paged.entries.map(brief), expected, `pages of ${maxKeys}`);
    }
    // Prefix and delimiter: roll-ups count against the page, each prefix once across pages.
    const rolled = await listAll(store, bkt, { maxKeys: 1, delimiter: '/' });
    assert.deepEqual(
      rolled.entries.map(brief),
      expected.filter((e) => !e.split('@')[0]!.includes('/')),
    );
    const withVersions = (p: string) =>
      [...model.entries()].some(([k, v]) => k.startsWith(p) && v.length > 0);
    assert.deepEqual(rolled.prefixes, ['a/', 'b/'].filter(withVersions));
    const underA = await listAll(store, bkt, { maxKeys: 2, prefix: 'a/' });
    assert.deepEqual(
      underA.entries.map(brief),
      expected.filter((e) => e.startsWith('a/')),
    );
  });
}
