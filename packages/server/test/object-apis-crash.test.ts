/**
 * kill -9 in the middle of the object APIs' writes (issue #11): concurrent PUT Object - Copy,
 * Delete Multiple Objects, PUT Object tagging and PUT Object acl. After a restart every
 * acknowledged write is there and nothing torn is visible; and the blob counts a copy shares
 * survive the crash: deleting every source leaves every copy readable, deleting everything leaves
 * no blob file behind (none freed early, none leaked).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';

const Bucket = 'crashapi-1250000000';
const SOURCES = 12;

const copySource = (key: string) => `${Bucket}.cos.${REGION}.myqcloud.com/${encodeURIComponent(key)}`;

test(
  'kill -9 during copies, batch deletes, tagging and ACL writes: acknowledged writes survive, shared blobs stay counted',
  { timeout: 120_000 },
  () =>
    crash.withDataDir('coskit-crash-api-', async (dataDir) => {
      const server = await crash.spawnServer(dataDir);
      const cos = crash.client(server.port);
      assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
      const sources = new Map<string, Buffer>();
      for (let i = 0; i < SOURCES; i++) {
        const key = `src/${i}`;
        const body = randomBytes(1 + Math.floor(Math.random() * 100_000));
        assert.equal(
          (await call(cos, 'putObject', { Bucket, Region: REGION, Key: key, Body: body })).err,
          null,
        );
        sources.set(key, body);
      }
      // Victims for the batch deletes: copies made before the crash phase.
      const victims: string[] = [];
      for (let i = 0; i < 120; i++) {
        const key = `victim/${i}`;
        const r = await call(cos, 'putObjectCopy', {
          Bucket,
          Region: REGION,
          Key: key,
          CopySource: copySource(`src/${i % SOURCES}`),
        });
        assert.equal(r.err, null);
        victims.push(key);
      }
      const copies: { key: string; from: string; acked: boolean }[] = [];
      const batches: { keys: string[]; acked: boolean }[] = [];
      const tagWrites: { key: string; values: string[]; acked: number }[] = [];
      const aclWrites: { key: string; attempted: string[]; acked: number }[] = [];
      let stop = false;
      const copyLoop = async (worker: number) => {
        for (let i = 0; !stop; i++) {
          const from = `src/${Math.floor(Math.random() * SOURCES)}`;
          const c = { key: `copy/${worker}-${i}`, from, acked: false };
          copies.push(c);
          const r = await call(cos, 'putObjectCopy', {
            Bucket,
            Region: REGION,
            Key: c.key,
            CopySource: copySource(from),
          });
          if (r.err) return;
          c.acked = true;
        }
      };
      const deleteLoop = async () => {
        for (let start = 0; !stop && start < victims.length; start += 10) {
          const b = { keys: victims.slice(start, start + 10), acked: false };
          batches.push(b);
          const r = await call(cos, 'deleteMultipleObject', {
            Bucket,
            Region: REGION,
            Objects: b.keys.map((Key) => ({ Key })),
          });
          if (r.err) return;
          b.acked = true;
        }
      };
      const tagLoop = async (worker: number) => {
        const w = { key: `src/${worker}`, values: [] as string[], acked: -1 };
        tagWrites.push(w);
        for (let i = 0; !stop; i++) {
          w.values.push(`v${i}`);
          const r = await call(cos, 'putObjectTagging', {
            Bucket,
            Region: REGION,
            Key: w.key,
            Tags: [{ Key: 'n', Value: `v${i}` }],
          });
          if (r.err) return;
          w.acked = i;
        }
      };
      const aclLoop = async (worker: number) => {
        const w = { key: `src/${SOURCES - 1 - worker}`, attempted: [] as string[], acked: -1 };
        aclWrites.push(w);
        for (let i = 0; !stop; i++) {
          const acl = i % 2 === 0 ? 'public-read' : 'private';
          w.attempted.push(acl);
          const r = await call(cos, 'putObjectAcl', { Bucket, Region: REGION, Key: w.key, ACL: acl });
          if (r.err) return;
          w.acked = i;
        }
      };
      const loops = [copyLoop(0), copyLoop(1), copyLoop(2), deleteLoop(), tagLoop(0), tagLoop(1), aclLoop(0)];
      const ackedSoFar = () => copies.filter((c) => c.acked).length + batches.filter((b) => b.acked).length;
      await crash.killWhenAcknowledged(server, {
        acked: ackedSoFar,
        atLeast: 8,
        jitterMs: 300,
        stop: () => {
          stop = true;
        },
        loops,
      });
      assert.ok(
        ackedSoFar() >= 8,
        `only ${ackedSoFar()} copies and batches were acknowledged before the kill`,
      );

      await crash.withRestarted(dataDir, async (check) => {
        const read = async (key: string) => call(check, 'getObject', { Bucket, Region: REGION, Key: key });
        for (const c of copies) {
          const r = await read(c.key);
          if (c.acked) assert.equal(r.err, null, `acknowledged copy ${c.key} is missing`);
          if (r.err) {
            assert.equal(r.err.statusCode, 404);
            continue;
          }
          assert.ok(
            (r.data.Body as Buffer).equals(sources.get(c.from)!),
            `${c.key} does not hold ${c.from}'s bytes`,
          );
        }
        for (const b of batches) {
          for (const key of b.keys) {
            const r = await read(key);
            if (b.acked) assert.equal(r.err?.statusCode, 404, `${key} was in an acknowledged batch delete`);
            else if (!r.err)
              assert.ok(
                (r.data.Body as Buffer).equals(sources.get(`src/${Number(key.split('/')[1]) % SOURCES}`)!),
              );
          }
        }
        for (const w of tagWrites) {
          const tags = (await call(check, 'getObjectTagging', { Bucket, Region: REGION, Key: w.key })).data
            .Tags as { Value: string }[];
          const index = w.values.indexOf(tags[0]?.Value ?? '');
          assert.ok(
            index >= w.acked,
            `${w.key}: tag ${tags[0]?.Value} is older than acknowledged v${w.acked}`,
          );
        }
        for (const w of aclWrites) {
          const acl = (await call(check, 'getObjectAcl', { Bucket, Region: REGION, Key: w.key })).data
            .ACL as string;
          if (w.acked >= 0 && w.acked === w.attempted.length - 1) assert.equal(acl, w.attempted[w.acked]);
          assert.ok(w.attempted.includes(acl), `${w.key}: ACL ${acl} was never written`);
        }
        // The shared-blob counts survived: every source can go, the copies still read back…
        const survivors = (
          await call(check, 'getBucket', { Bucket, Region: REGION, MaxKeys: 1000 })
        ).data.Contents.map((c: { Key: string }) => c.Key) as string[];
        const sourceKeys = [...sources.keys()];
        assert.equal(
          (
            await call(check, 'deleteMultipleObject', {
              Bucket,
              Region: REGION,
              Objects: sourceKeys.map((Key) => ({ Key })),
            })
          ).err,
          null,
        );
        for (const key of survivors.filter((k) => !k.startsWith('src/'))) {
          const r = await read(key);
          assert.equal(r.err, null, `${key} lost its bytes when its source was deleted`);
        }
        // …and once everything is gone, so is every blob file.
        const rest = survivors.filter((k) => !k.startsWith('src/'));
        for (let i = 0; i < rest.length; i += 1000) {
          const r = await call(check, 'deleteMultipleObject', {
            Bucket,
            Region: REGION,
            Objects: rest.slice(i, i + 1000).map((Key) => ({ Key })),
          });
          assert.equal(r.err, null);
        }
        assert.equal(await crash.blobFiles(dataDir), 0, 'a blob leaked or the counts were wrong');
      });
    }),
);
