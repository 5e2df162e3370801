/**
 * The SSE-COS key ledger (write-plans.ts' SseKeyLedger): the start-up count of records encrypted
 * under a key the server no longer has reads nothing when the ledger is complete and names only the
 * current key, and the ledger names every key before the first record encrypted with it is
 * committed — also when the writer is killed with SIGKILL — so a replaced key file is still found.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalStore } from '../src/store/local/local-store.js';
import { MetadataStore } from '../src/store/local/metadata.js';
import { bodyOf } from './store/contract/support.js';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';

const headers = { 'content-type': 'text/plain' };
const SSE_COS = { type: 'SSE-COS' } as const;
const indexDir = (dataDir: string) => join(dataDir, 'meta');

async function withDir(run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-key-ledger-'));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function newBucket(store: LocalStore): Promise<string> {
  await store.createBucket('ledger-1250000000', { created: Date.now(), acl: 'private', grants: {} });
  return 'ledger-1250000000';
}

test('a key made after the start-up walk is in the ledger: replacing its file is still counted', () =>
  withDir(async (dataDir) => {
    const first = await LocalStore.open(dataDir);
    assert.equal(await first.countForeignSseCos(), 0, 'an empty store: the walk makes the ledger complete');
    const bucket = await newBucket(first);
    // The first SSE-COS write of the process creates the key file, after the ledger was complete.
    for (const key of ['a', 'b', 'c'])
      await first.putObject(bucket, key, bodyOf(randomBytes(1000)), { headers, encryption: SSE_COS });
    await first.close();

    const same = await LocalStore.open(dataDir);
    assert.equal(await same.countForeignSseCos(), 0);
    await same.close();

    await writeFile(join(dataDir, 'sse-cos.key'), `${randomBytes(32).toString('base64')}\n`);
    const replaced = await LocalStore.open(dataDir);
    assert.equal(await replaced.countForeignSseCos(), 3, 'the three records of the old key');
    await replaced.close();
  }));

test('a complete ledger naming only the current key is trusted without a walk; without it, the walk decides', () =>
  withDir(async (dataDir) => {
    const first = await LocalStore.open(dataDir);
    const bucket = await newBucket(first);
    await first.putObject(bucket, 'a', bodyOf(randomBytes(1000)), { headers, encryption: SSE_COS });
    assert.equal(await first.countForeignSseCos(), 0);
    await first.close();

    // Behind the store's back, mark the record as encrypted under another key: only a walk sees it.
    const meta = new MetadataStore(indexDir(dataDir));
    const objects = [...meta.dbs.objects.getRange()].filter(({ value }) => value.encryption);
    assert.equal(objects.length, 1);
    const { key, value } = objects[0]!;
    assert.equal(value.encryption?.type, 'SSE-COS');
    await meta.transaction(() =>
      meta.dbs.objects.putSync(key, { ...value, encryption: { type: 'SSE-COS', keyId: 'elsewhere' } }),
    );
    await meta.close();

    const trusted = await LocalStore.open(dataDir);
    assert.equal(await trusted.countForeignSseCos(), 0, 'the complete ledger is trusted: no walk');
    await trusted.close();

    const state = new MetadataStore(indexDir(dataDir));
    await state.transaction(() => state.dbs.state.removeSync('sse-key-ledger'));
    await state.close();
    const walked = await LocalStore.open(dataDir);
    assert.equal(
      await walked.countForeignSseCos(),
      1,
      'no ledger (an older data directory): the walk counts it',
    );
    assert.equal(await walked.countForeignSseCos(), 1, 'a walk that found one leaves the ledger incomplete');
    await walked.close();
  }));

test(
  'kill -9 during the first SSE-COS writes: every acknowledged record’s key is in the ledger',
  { timeout: 60_000 },
  () =>
    crash.withDataDir('coskit-key-ledger-crash-', async (dataDir) => {
      const Bucket = 'ledgercrash-1250000000';
      const server = await crash.spawnServer(dataDir);
      const cos = crash.client(server.port);
      assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
      let acked = 0;
      let stop = false;
      const loop = async (worker: number) => {
        for (let i = 0; !stop; i++) {
          const r = await call(cos, 'putObject', {
            Bucket,
            Region: REGION,
            Key: `w${worker}-${i}`,
            Body: randomBytes(2000),
            ServerSideEncryption: 'AES256',
          });
          if (r.err) return;
          acked++;
        }
      };
      await crash.killWhenAcknowledged(server, {
        acked: () => acked,
        atLeast: 1,
        jitterMs: 50,
        stop: () => {
          stop = true;
        },
        loops: [loop(0), loop(1), loop(2)],
      });
      assert.ok(acked >= 1);
      await writeFile(join(dataDir, 'sse-cos.key'), `${randomBytes(32).toString('base64')}\n`);
      const store = await LocalStore.open(dataDir);
      try {
        const foreign = await store.countForeignSseCos();
        assert.ok(foreign >= acked, `${foreign} records under the replaced key, ${acked} acknowledged`);
      } finally {
        await store.close();
      }
    }),
);
