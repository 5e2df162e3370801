/**
 * Writes that a crash test interrupts at every step (see crash.ts): each scenario sets up a
 * state, then performs one write; after a kill -9 at any step, `check` accepts only the state
 * before or the state after that write, whole, and answers how many bytes must remain stored.
 * Bodies are derived from labels, so the crashing child and the checking parent agree on them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Store } from '../../../src/store/store.js';
import { bodyOf, contentOf, md5hex } from './support.js';

const MiB = 1024 * 1024;
const headers = { 'content-type': 'application/octet-stream' };
export const CRASH_BUCKET = 'crash-1250000000';

/** `size` reproducible bytes named by `label`. */
export function bytesOf(label: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0, block = 0; i < size; block++) {
    const h = createHash('sha256').update(`${label}#${block}`).digest();
    i += h.copy(out, i);
  }
  return out;
}

export interface CrashScenario {
  /** Done before the crash point is armed. */
  setup(store: Store): Promise<void>;
  /** The write under test. */
  act(store: Store): Promise<void>;
  /**
   * After restart and recovery: the state is the old or the new one — the new one if `act` had
   * resolved (the write was acknowledged) before the kill. Returns the bytes that must stay stored.
   */
  check(store: Store, acknowledged: boolean): Promise<number>;
}

const APPEND_PIECES = 16;
const piece = (i: number) => bytesOf(`append-${i}`, 1000 + i * 10);
const appended = (n: number) => Buffer.concat(Array.from({ length: n }, (_, i) => piece(i)));

const partA = bytesOf('part-a', MiB);
const partB = bytesOf('part-b', 1234);

async function uploadOf(store: Store, key: string): Promise<string | undefined> {
  const page = await store.listUploads(CRASH_BUCKET, {
    prefix: key,
    delimiter: '',
    keyMarker: '',
    uploadIdMarker: '',
    maxUploads: 10,
  });
  return page.uploads.find((u) => u.key === key)?.uploadId;
}

const createBucket = (store: Store) =>
  store.createBucket(CRASH_BUCKET, { created: Date.now(), acl: 'private', grants: {} });

const CORS = {
  CORSRule: [{ AllowedOrigin: ['*'], AllowedMethod: ['PUT'], AllowedHeader: ['*'], ExposeHeader: [] }],
};

/** The version IDs of a key, newest first, with `DM` for delete markers. */
async function versionsOf(store: Store, key: string): Promise<string[]> {
  const page = await store.listObjectVersions(CRASH_BUCKET, {
    prefix: key,
    delimiter: '',
    keyMarker: '',
    versionIdMarker: '',
    maxKeys: 100,
  });
  return page.entries.filter((e) => e.key === key).map((e) => (e.deleteMarker ? 'DM' : e.versionId));
}

/** A bucket with versioning whose key `k` has a null version (from before) and one newer version. */
async function versionedKey(store: Store): Promise<void> {
  await createBucket(store);
  await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('v0', 30_000)), { headers });
  await store.setBucketVersioning(CRASH_BUCKET, 'Enabled');
  await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('v1', 20_000)), { headers });
}

export const SCENARIOS: Record<string, CrashScenario> = {
  /** PUT in an Enabled bucket: a new version on top, the older ones untouched. */
  'versioned-put': {
    setup: versionedKey,
    async act(store) {
      // Over 64 KiB: a blob file (its crash points include the blob's); put-inline covers small bodies.
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('v2', 70_000)), { headers });
    },
    async check(store, acknowledged) {
      const versions = await versionsOf(store, 'k');
      const content = await contentOf(store, CRASH_BUCKET, 'k');
      assert.equal(versions.at(-1), 'null');
      assert.equal((await store.getObject(CRASH_BUCKET, 'k', { versionId: 'null' }))?.size, 30_000);
      if (versions.length === 2) {
        assert.ok(!acknowledged, 'an acknowledged version was lost');
        assert.ok(content?.equals(bytesOf('v1', 20_000)), 'torn object');
        return 50_000;
      }
      assert.equal(versions.length, 3);
      assert.ok(content?.equals(bytesOf('v2', 70_000)), 'torn new version');
      return 120_000;
    },
  },

  /** DELETE without versionId in an Enabled bucket: a delete marker, every byte kept. */
  'delete-marker': {
    setup: versionedKey,
    async act(store) {
      await store.deleteObject(CRASH_BUCKET, 'k');
    },
    async check(store, acknowledged) {
      const versions = await versionsOf(store, 'k');
      const content = await contentOf(store, CRASH_BUCKET, 'k');
      if (versions[0] === 'DM') {
        assert.equal(content, undefined, 'a key hidden by a delete marker still reads');
        assert.equal(versions.length, 3);
      } else {
        assert.ok(!acknowledged, 'an acknowledged delete marker was lost');
        assert.ok(content?.equals(bytesOf('v1', 20_000)));
        assert.equal(versions.length, 2);
      }
      return 50_000;
    },
  },

  /**
   * DELETE of the current version, which a copy shares: the null version becomes current again,
   * and the copy keeps the shared bytes.
   */
  'delete-version': {
    async setup(store) {
      await versionedKey(store);
      await store.copyObject(
        { bucket: CRASH_BUCKET, key: 'k' },
        { bucket: CRASH_BUCKET, key: 'copy' },
        { headersFor: (source) => source.headers },
      );
    },
    async act(store) {
      const [current] = await versionsOf(store, 'k');
      await store.deleteObject(CRASH_BUCKET, 'k', { versionId: current });
    },
    async check(store, acknowledged) {
      const versions = await versionsOf(store, 'k');
      const content = await contentOf(store, CRASH_BUCKET, 'k');
      assert.ok(
        (await contentOf(store, CRASH_BUCKET, 'copy'))?.equals(bytesOf('v1', 20_000)),
        'the copy lost the shared bytes',
      );
      if (versions.length === 2) {
        assert.ok(!acknowledged, 'an acknowledged version delete was lost');
        assert.ok(content?.equals(bytesOf('v1', 20_000)));
        return 50_000;
      }
      assert.deepEqual(versions, ['null']);
      assert.ok(content?.equals(bytesOf('v0', 30_000)), 'the null version did not become current');
      return 50_000;
    },
  },

  /** PUT in a Suspended bucket: the new null version replaces (and frees) the old one. */
  'suspended-put': {
    async setup(store) {
      await versionedKey(store);
      await store.setBucketVersioning(CRASH_BUCKET, 'Suspended');
    },
    async act(store) {
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('n', 5_000)), { headers });
    },
    async check(store, acknowledged) {
      const versions = await versionsOf(store, 'k');
      assert.equal(versions.length, 2);
      const nullVersion = await store.getObject(CRASH_BUCKET, 'k', { versionId: 'null' });
      if (nullVersion?.size === 30_000) {
        assert.ok(!acknowledged, 'an acknowledged null version was lost');
        return 50_000;
      }
      assert.ok((await contentOf(store, CRASH_BUCKET, 'k'))?.equals(bytesOf('n', 5_000)));
      return 25_000;
    },
  },

  /** PUT Bucket cors: metadata only, so after a crash the rules are there (if acknowledged) or not. */
  'bucket-cors': {
    async setup(store) {
      await createBucket(store);
    },
    async act(store) {
      await store.setBucketCors(CRASH_BUCKET, CORS);
    },
    async check(store, acknowledged) {
      const cors = (await store.getBucket(CRASH_BUCKET))?.cors;
      if (acknowledged) assert.deepEqual(cors, CORS);
      else assert.ok(cors === undefined || JSON.stringify(cors) === JSON.stringify(CORS), 'torn CORS rules');
      return 0;
    },
  },

  /** PUT Object - Copy over an existing target: the target shares the source's blob. */
  copy: {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'src', bodyOf(bytesOf('src', 40_000)), { headers });
      await store.putObject(CRASH_BUCKET, 'dst', bodyOf(bytesOf('old-dst', 30_000)), { headers });
    },
    async act(store) {
      await store.copyObject(
        { bucket: CRASH_BUCKET, key: 'src' },
        { bucket: CRASH_BUCKET, key: 'dst' },
        { headersFor: (source) => source.headers },
      );
    },
    async check(store, acknowledged) {
      const src = bytesOf('src', 40_000);
      assert.ok((await contentOf(store, CRASH_BUCKET, 'src'))?.equals(src), 'the source changed');
      const dst = await contentOf(store, CRASH_BUCKET, 'dst');
      if (dst?.equals(bytesOf('old-dst', 30_000))) {
        assert.ok(!acknowledged, 'an acknowledged copy was lost');
        return 70_000;
      }
      assert.ok(dst?.equals(src), 'torn copy');
      // The share survived the crash: the copy outlives its source, and holds the only blob.
      await store.deleteObject(CRASH_BUCKET, 'src');
      assert.ok(
        (await contentOf(store, CRASH_BUCKET, 'dst'))?.equals(src),
        'the shared blob was freed with the source',
      );
      return 40_000;
    },
  },

  /** Delete Multiple Objects of two keys (one of them shared by a copy) and a missing one. */
  'delete-multiple': {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'k1', bodyOf(bytesOf('k1', 10_000)), { headers });
      await store.putObject(CRASH_BUCKET, 'k2', bodyOf(bytesOf('k2', 20_000)), { headers });
      await store.copyObject(
        { bucket: CRASH_BUCKET, key: 'k1' },
        { bucket: CRASH_BUCKET, key: 'k3' },
        { headersFor: (source) => source.headers },
      );
    },
    async act(store) {
      await store.deleteObjects(CRASH_BUCKET, [{ key: 'k1' }, { key: 'k2' }, { key: 'never-existed' }]);
    },
    async check(store, acknowledged) {
      const [k1, k2] = [
        await contentOf(store, CRASH_BUCKET, 'k1'),
        await contentOf(store, CRASH_BUCKET, 'k2'),
      ];
      assert.ok(
        (await contentOf(store, CRASH_BUCKET, 'k3'))?.equals(bytesOf('k1', 10_000)),
        'the copy lost its bytes',
      );
      if (k1 || k2) {
        assert.ok(!acknowledged, 'an acknowledged batch delete was lost');
        assert.ok(
          k1?.equals(bytesOf('k1', 10_000)) && k2?.equals(bytesOf('k2', 20_000)),
          'half a batch deleted',
        );
        return 30_000;
      }
      return 10_000;
    },
  },

  /** A metadata-only change (PUT Object tagging / acl). */
  headers: {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('tagged', 5000)), { headers });
    },
    async act(store) {
      await store.updateObjectHeaders(CRASH_BUCKET, 'k', (current) => ({
        ...current.headers,
        'x-cos-tagging': 'a=1',
      }));
    },
    async check(store, acknowledged) {
      assert.ok(
        (await contentOf(store, CRASH_BUCKET, 'k'))?.equals(bytesOf('tagged', 5000)),
        'the bytes changed',
      );
      const tagging = (await store.getObject(CRASH_BUCKET, 'k'))?.headers['x-cos-tagging'];
      if (acknowledged) assert.equal(tagging, 'a=1');
      else assert.ok(tagging === undefined || tagging === 'a=1', 'torn headers');
      return 5000;
    },
  },

  /**
   * A small PUT (kept in the index: one commit) over a small object, then one over an object in a
   * blob file: old or new, whole; the replaced bytes (an inline blob, then a file) are freed.
   */
  'put-inline': {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('file', 70_000)), { headers });
      await store.putObject(CRASH_BUCKET, 'j', bodyOf(bytesOf('small-old', 3_000)), { headers });
    },
    async act(store) {
      await store.putObject(CRASH_BUCKET, 'j', bodyOf(bytesOf('small-j', 5_000)), { headers });
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('small-k', 4_096)), { headers });
    },
    async check(store, acknowledged) {
      const k = await contentOf(store, CRASH_BUCKET, 'k');
      const j = await contentOf(store, CRASH_BUCKET, 'j');
      assert.ok(k && j, 'an object is missing');
      const kNew = k.equals(bytesOf('small-k', 4_096));
      const jNew = j.equals(bytesOf('small-j', 5_000));
      assert.ok(kNew || (!acknowledged && k.equals(bytesOf('file', 70_000))), 'k is torn or lost');
      assert.ok(jNew || (!acknowledged && j.equals(bytesOf('small-old', 3_000))), 'j is torn or lost');
      assert.ok(jNew || !kNew, 'k was replaced before j');
      return k.length + j.length;
    },
  },

  /** PUT over an existing object. */
  put: {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('old', 50_000)), { headers });
    },
    async act(store) {
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('new', 70_000)), { headers });
    },
    async check(store, acknowledged) {
      const content = await contentOf(store, CRASH_BUCKET, 'k');
      assert.ok(content, 'the object is missing');
      assert.ok(
        content.equals(bytesOf('new', 70_000)) || (!acknowledged && content.equals(bytesOf('old', 50_000))),
        'torn or lost object',
      );
      return content.length;
    },
  },

  /**
   * The APPEND that makes 16 segments, and the compaction it starts: every acknowledged append
   * survives, and a merge interrupted anywhere changes no byte.
   */
  append: {
    async setup(store) {
      await createBucket(store);
      let position = 0;
      for (let i = 0; i < APPEND_PIECES - 1; i++) {
        await store.appendObject(CRASH_BUCKET, 'log', position, bodyOf(piece(i)), { headers });
        position += piece(i).length;
      }
    },
    async act(store) {
      const position = appended(APPEND_PIECES - 1).length;
      await store.appendObject(CRASH_BUCKET, 'log', position, bodyOf(piece(APPEND_PIECES - 1)), { headers });
    },
    async check(store, acknowledged) {
      const content = await contentOf(store, CRASH_BUCKET, 'log');
      assert.ok(content, 'the appendable object is missing');
      assert.ok(
        content.equals(appended(APPEND_PIECES)) ||
          (!acknowledged && content.equals(appended(APPEND_PIECES - 1))),
        `${content.length} bytes that were never a whole version (acknowledged: ${acknowledged})`,
      );
      const info = await store.getObject(CRASH_BUCKET, 'log');
      assert.equal(info?.appendable, true);
      return content.length;
    },
  },

  /** Complete over an existing object. */
  complete: {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'mp', bodyOf(bytesOf('replaced', 3000)), { headers });
      const uploadId = await store.initiateUpload(CRASH_BUCKET, 'mp', { headers });
      await store.putPart(CRASH_BUCKET, 'mp', uploadId, 1, bodyOf(partA));
      await store.putPart(CRASH_BUCKET, 'mp', uploadId, 2, bodyOf(partB));
      await store.putPart(CRASH_BUCKET, 'mp', uploadId, 3, bodyOf(bytesOf('unlisted', 500)));
    },
    async act(store) {
      const uploadId = (await uploadOf(store, 'mp'))!;
      await store.completeUpload(CRASH_BUCKET, 'mp', uploadId, [
        { PartNumber: 1, ETag: `"${md5hex(partA)}"` },
        { PartNumber: 2, ETag: `"${md5hex(partB)}"` },
      ]);
    },
    async check(store, acknowledged) {
      const content = await contentOf(store, CRASH_BUCKET, 'mp');
      const uploadId = await uploadOf(store, 'mp');
      assert.ok(content);
      if (content.equals(Buffer.concat([partA, partB]))) {
        assert.equal(uploadId, undefined, 'the completed upload is still listed');
        return content.length;
      }
      assert.ok(!acknowledged, 'an acknowledged Complete was lost');
      assert.ok(content.equals(bytesOf('replaced', 3000)), 'torn object');
      assert.ok(uploadId, 'the upload vanished without completing');
      const parts = await store.listParts(CRASH_BUCKET, 'mp', uploadId, 0, 10);
      assert.equal(parts.parts.length, 3);
      return content.length + partA.length + partB.length + 500;
    },
  },

  /** DELETE of an object. */
  delete: {
    async setup(store) {
      await createBucket(store);
      await store.putObject(CRASH_BUCKET, 'k', bodyOf(bytesOf('doomed', 40_000)), { headers });
    },
    async act(store) {
      await store.deleteObject(CRASH_BUCKET, 'k');
    },
    async check(store, acknowledged) {
      const content = await contentOf(store, CRASH_BUCKET, 'k');
      if (content) {
        assert.ok(!acknowledged, 'an acknowledged DELETE was lost');
        assert.ok(content.equals(bytesOf('doomed', 40_000)), 'torn object');
      }
      return content?.length ?? 0;
    },
  },

  /** A part uploaded again under the same number. */
  part: {
    async setup(store) {
      await createBucket(store);
      const uploadId = await store.initiateUpload(CRASH_BUCKET, 'p', { headers });
      await store.putPart(CRASH_BUCKET, 'p', uploadId, 1, bodyOf(bytesOf('first', 20_000)));
    },
    async act(store) {
      const uploadId = (await uploadOf(store, 'p'))!;
      await store.putPart(CRASH_BUCKET, 'p', uploadId, 1, bodyOf(bytesOf('second', 30_000)));
    },
    async check(store, acknowledged) {
      const uploadId = await uploadOf(store, 'p');
      assert.ok(uploadId);
      const [part] = (await store.listParts(CRASH_BUCKET, 'p', uploadId, 0, 10)).parts;
      assert.ok(part);
      const [oldTag, newTag] = [bytesOf('first', 20_000), bytesOf('second', 30_000)].map(
        (b) => `"${md5hex(b)}"`,
      );
      assert.ok(part.etag === newTag || (!acknowledged && part.etag === oldTag), 'the part is lost or torn');
      return part.size;
    },
  },

  /** Abort of an upload with a part. */
  abort: {
    async setup(store) {
      await createBucket(store);
      const uploadId = await store.initiateUpload(CRASH_BUCKET, 'a', { headers });
      await store.putPart(CRASH_BUCKET, 'a', uploadId, 1, bodyOf(bytesOf('aborted', 10_000)));
    },
    async act(store) {
      await store.abortUpload(CRASH_BUCKET, 'a', (await uploadOf(store, 'a'))!);
    },
    async check(store, acknowledged) {
      const uploadId = await uploadOf(store, 'a');
      if (!uploadId) return 0;
      assert.ok(!acknowledged, 'an acknowledged Abort was lost');
      const parts = (await store.listParts(CRASH_BUCKET, 'a', uploadId, 0, 10)).parts;
      assert.equal(parts.length, 1);
      return parts[0]!.size;
    },
  },
};
