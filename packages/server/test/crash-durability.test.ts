/**
 * kill -9 in the middle of concurrent PUTs, appends and multipart completes; after a restart every
 * acknowledged write reads back byte-identical and nothing torn is visible (a write whose response
 * was lost in the kill may be visible, but only whole).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';

const Bucket = 'crash-1250000000';
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

interface Write {
  key: string;
  /** Every byte string the key may legitimately hold after the crash (whole versions only). */
  acceptable: Buffer[];
  acked: Buffer | undefined;
}

test(
  'kill -9 during concurrent writes loses no acknowledged byte and shows nothing torn',
  { timeout: 120_000 },
  () =>
    crash.withDataDir('coskit-crash-', async (dataDir) => {
      for (let round = 0; round < 3; round++) {
        const server = await crash.spawnServer(dataDir);
        const cos = crash.client(server.port);
        if (round === 0) assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
        const writes: Write[] = [];
        let stop = false;
        const putLoop = async (worker: number) => {
          for (let i = 0; !stop; i++) {
            const key = `r${round}/put-${worker}-${i}`;
            const body = randomBytes(1 + Math.floor(Math.random() * 300_000));
            const w: Write = { key, acceptable: [body], acked: undefined };
            writes.push(w);
            const r = await call(cos, 'putObject', { Bucket, Region: REGION, Key: key, Body: body });
            if (r.err) return;
            w.acked = body;
          }
        };
        // Small PUTs (kept in the index, one group-committed LMDB commit each), many at once.
        const smallPutLoop = async (worker: number) => {
          for (let i = 0; !stop; i++) {
            const key = `r${round}/small-${worker}-${i}`;
            const body = randomBytes(1 + Math.floor(Math.random() * 64 * 1024));
            const w: Write = { key, acceptable: [body], acked: undefined };
            writes.push(w);
            const r = await call(cos, 'putObject', { Bucket, Region: REGION, Key: key, Body: body });
            if (r.err) return;
            w.acked = body;
          }
        };
        const appendLoop = async (worker: number) => {
          const key = `r${round}/append-${worker}`;
          const w: Write = { key, acceptable: [], acked: undefined };
          writes.push(w);
          let content = Buffer.alloc(0);
          while (!stop) {
            const chunk = randomBytes(1 + Math.floor(Math.random() * 50_000));
            const next = Buffer.concat([content, chunk]);
            w.acceptable.push(next);
            const r = await call(cos, 'appendObject', {
              Bucket,
              Region: REGION,
              Key: key,
              Position: content.length,
              Body: chunk,
            });
            if (r.err) return;
            content = next;
            w.acked = content;
          }
        };
        const multipartLoop = async (worker: number) => {
          for (let i = 0; !stop; i++) {
            const key = `r${round}/mp-${worker}-${i}`;
            const parts = [randomBytes(MiB), randomBytes(1 + Math.floor(Math.random() * MiB))];
            const w: Write = { key, acceptable: [Buffer.concat(parts)], acked: undefined };
            writes.push(w);
            const init = await call(cos, 'multipartInit', { Bucket, Region: REGION, Key: key });
            if (init.err) return;
            for (const [n, p] of parts.entries()) {
              const r = await call(cos, 'multipartUpload', {
                Bucket,
                Region: REGION,
                Key: key,
                UploadId: init.data.UploadId,
                PartNumber: n + 1,
                Body: p,
              });
              if (r.err) return;
            }
            const done = await call(cos, 'multipartComplete', {
              Bucket,
              Region: REGION,
              Key: key,
              UploadId: init.data.UploadId,
              Parts: parts.map((p, n) => ({ PartNumber: n + 1, ETag: `"${md5(p)}"` })),
            });
            if (done.err) return;
            w.acked = w.acceptable[0];
          }
        };
        const loops = [
          putLoop(0),
          putLoop(1),
          putLoop(2),
          ...Array.from({ length: 6 }, (_, w) => smallPutLoop(w)),
          appendLoop(0),
          appendLoop(1),
          multipartLoop(0),
          multipartLoop(1),
        ];
        await crash.killWhenAcknowledged(server, {
          acked: () => writes.filter((w) => w.acked).length,
          atLeast: 8,
          jitterMs: 800,
          stop: () => {
            stop = true;
          },
          loops,
        });
        const acked = writes.filter((w) => w.acked).length;
        assert.ok(acked > 5, `round ${round}: only ${acked} writes were acknowledged before the kill`);

        await crash.withRestarted(dataDir, async (check) => {
          for (const w of writes) {
            const r = await call(check, 'getObject', { Bucket, Region: REGION, Key: w.key });
            if (w.acked) {
              assert.equal(r.err, null, `acknowledged ${w.key} is missing`);
            }
            if (r.err) {
              assert.equal(r.err.statusCode, 404, `${w.key}: ${r.err.code}`);
              continue;
            }
            const body = r.data.Body as Buffer;
            assert.ok(
              w.acceptable.some((a) => a.equals(body)),
              `${w.key} holds ${body.length} bytes that were never a whole version`,
            );
            if (w.acked && !w.key.includes('append'))
              assert.ok(body.equals(w.acked), `${w.key} differs from its acknowledged bytes`);
            if (w.acked && w.key.includes('append'))
              assert.ok(body.length >= w.acked.length, `${w.key} lost acknowledged appends`);
          }
        });
      }
      // After a clean stop, recovery left no temp file behind.
      assert.deepEqual(await crash.tempFilesAfterCleanRestart(dataDir), []);
    }),
);
