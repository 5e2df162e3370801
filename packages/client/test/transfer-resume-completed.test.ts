/**
 * uploadFile across the lost answers and deaths around Initiate and Complete (issue 9 item 14): a
 * resume after the upload completed sends nothing, a lost Complete answer is not a failure, a lost
 * Initiate answer leaves no orphan upload, and a killed checkpoint writer's temp files go away.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CosS3Client } from '../src/index.js';
import { type ClientHarness, crcOf, startClientHarness } from './support/client-harness.js';

const MiB = 1024 * 1024;
const Bucket = 'resume-completed-1250000000';

describe('uploadFile around Initiate and Complete', () => {
  let h: ClientHarness;
  let client: CosS3Client;
  let n = 0;
  before(async () => {
    h = await startClientHarness();
    client = h.newClient({ Retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  /** A fresh 3 MiB file, its own checkpoint folder and upload parameters (1 MiB parts). */
  async function setup() {
    n++;
    const bytes = randomBytes(3 * MiB + 11);
    const path = join(h.dir, `file-${n}.bin`);
    await writeFile(path, bytes);
    const dir = join(h.dir, `cp-${n}`);
    const params = {
      Bucket,
      Key: `obj-${n}`,
      LocalFilePath: path,
      PartSize: 1,
      MultipartThreshold: MiB,
      CheckpointDir: dir,
    };
    return { bytes, dir, params };
  }
  const isComplete = (r: { method: string; url: string }) =>
    r.method === 'POST' && r.url.includes('uploadId=');
  const isInitiate = (r: { method: string; url: string }) =>
    r.method === 'POST' && /[?&]uploads(&|$)/.test(r.url);
  const uploadsOf = async (Key: string) =>
    (await h.client.listMultipartUploads({ Bucket, Prefix: Key })).Upload.filter((u) => u.Key === Key);

  test('a checkpoint left by a run that died after Complete: the next call sends nothing and removes it', async () => {
    const { bytes, dir, params } = await setup();
    h.proxy.reset();
    // Snapshot the checkpoint as Complete arrives: what a process killed right after it leaves.
    let snapshot: string | undefined;
    h.proxy.onRequest = (r) => {
      if (!isComplete(r)) return;
      const name = readdirSync(dir).find((f) => f.endsWith('.json'));
      if (name) {
        snapshot = join(h.dir, `snapshot-${n}.json`);
        copyFileSync(join(dir, name), snapshot);
        snapshot = `${snapshot}|${name}`;
      }
    };
    await client.uploadFile(params);
    h.proxy.onRequest = undefined;
    assert.ok(snapshot, 'the checkpoint existed when Complete was sent');
    const [copy, name] = snapshot.split('|') as [string, string];
    await rename(copy, join(dir, name));

    h.proxy.reset();
    const r = await client.uploadFile(params);
    assert.equal(r.partsSent, 0);
    assert.equal(r.bytesSent, 0);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    const sent = h.proxy.requests.filter((q) => q.method === 'PUT' || q.method === 'POST');
    assert.deepEqual(sent, [], 'no part, no Initiate, no Complete');
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.json')),
      [],
      'the checkpoint is removed',
    );
  });

  test("a Complete whose answer was lost is retried, finds the upload gone and the object this file's: success", async () => {
    const { bytes, params } = await setup();
    h.proxy.reset();
    let cut = 0;
    h.proxy.truncateWhen = (r) => isComplete(r) && cut++ === 0;
    const r = await client.uploadFile(params);
    assert.equal(cut >= 2, true, 'Complete was sent again after its lost answer');
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    const head = await h.client.headObject({ Bucket, Key: params.Key });
    assert.equal(head['x-cos-hash-crc64ecma'], crcOf(bytes));
  });

  test('an Initiate whose answer was lost leaves no orphan upload: it is found by listing and used', async () => {
    const { bytes, params } = await setup();
    h.proxy.reset();
    let cut = 0;
    h.proxy.truncateWhen = (r) => isInitiate(r) && cut++ === 0;
    const r = await client.uploadFile(params);
    assert.equal(cut, 1, 'one Initiate reached the server: the transport did not send it again');
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(bytes));
    assert.deepEqual(await uploadsOf(params.Key), [], 'no upload left behind');
  });

  test("leftover *.tmp files of a killed checkpoint writer are removed; a young one (another writer's) stays", async () => {
    const { dir, params } = await setup();
    h.proxy.reset();
    // A first run leaves its checkpoint (the upload is interrupted by a failing part)...
    await mkdir(dir, { recursive: true });
    const controller = new AbortController();
    await assert.rejects(
      client.uploadFile({
        ...params,
        TrafficLimit: 8 * MiB * 8,
        ProgressInterval: 0,
        onProgress: (done) => {
          if (done > MiB) controller.abort();
        },
        signal: controller.signal,
      }),
    );
    const name = (await readdir(dir)).find((f) => f.endsWith('.json'));
    assert.ok(name);
    // ...and two temps beside it: one an hour old (a writer killed mid-save), one just written.
    const old = join(dir, `${name}.0123456789ab.tmp`);
    const young = join(dir, `${name}.ba9876543210.tmp`);
    await writeFile(old, '{"torn');
    await writeFile(young, '{"in progress');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    await client.uploadFile(params);
    const left = await readdir(dir);
    assert.ok(!left.includes(`${name}.0123456789ab.tmp`), `the stale temp is gone: ${left}`);
    assert.ok(left.includes(`${name}.ba9876543210.tmp`), 'a temp younger than 10 s is left alone');
  });
});
