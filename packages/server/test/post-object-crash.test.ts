/**
 * kill -9 during concurrent POST Object form uploads: every acknowledged form reads back
 * byte-identical after a restart, an unacknowledged one is absent or whole, and a form whose file
 * was half sent when the process died leaves neither an object nor a temp file.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';
import { BOUNDARY, formBody, postForm, signedFields } from './support/post-form.js';

const Bucket = 'postcrash-1250000000';

interface Upload {
  key: string;
  body: Buffer;
  acked: boolean;
}

test(
  'kill -9 during POST Object uploads loses no acknowledged form and stores no half file',
  { timeout: 60_000 },
  () =>
    crash.withDataDir('coskit-post-crash-', async (dataDir) => {
      const server = await crash.spawnServer(dataDir);
      assert.equal(
        (await call(crash.client(server.port), 'putBucket', { Bucket, Region: REGION })).err,
        null,
      );

      // A form whose file is half sent and never finished: in flight when the process dies.
      const half = formBody(signedFields(Bucket, { key: 'half-sent' }), {
        bytes: randomBytes(4 * 1024 * 1024),
      });
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(
        `POST / HTTP/1.1\r\nHost: ${Bucket}.cos.${REGION}.myqcloud.com\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${half.length}\r\n\r\n`,
      );
      socket.write(half.subarray(0, half.length / 2));

      const uploads: Upload[] = [];
      let stop = false;
      const loop = async (worker: number) => {
        for (let i = 0; !stop; i++) {
          const u: Upload = {
            key: `post-${worker}-${i}`,
            body: randomBytes(1 + Math.floor(Math.random() * 300_000)),
            acked: false,
          };
          uploads.push(u);
          try {
            const r = await postForm({
              port: server.port,
              bucket: Bucket,
              body: formBody(signedFields(Bucket, { key: u.key }), { bytes: u.body }),
            });
            if (r.status !== 204) return;
            u.acked = true;
          } catch {
            return; // the kill cut the connection
          }
        }
      };
      const loops = [loop(0), loop(1), loop(2)];
      await crash.killWhenAcknowledged(server, {
        acked: () => uploads.filter((u) => u.acked).length,
        atLeast: 8,
        jitterMs: 300,
        stop: () => {
          stop = true;
        },
        loops,
      });
      socket.destroy();
      const acked = uploads.filter((u) => u.acked).length;
      assert.ok(acked >= 8, `only ${acked} forms were acknowledged before the kill`);

      await crash.withRestarted(dataDir, async (check) => {
        // Recovery ran before the server listened: the half-sent file's temp blob is gone.
        assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
        for (const u of uploads) {
          const r = await call(check, 'getObject', { Bucket, Region: REGION, Key: u.key });
          if (u.acked) assert.equal(r.err, null, `acknowledged ${u.key} is missing`);
          if (r.err) {
            assert.equal(r.err.statusCode, 404, `${u.key}: ${r.err.code}`);
            continue;
          }
          assert.ok((r.data.Body as Buffer).equals(u.body), `${u.key} is not the bytes that were posted`);
        }
        const halfSent = await call(check, 'headObject', { Bucket, Region: REGION, Key: 'half-sent' });
        assert.equal(halfSent.err?.statusCode, 404, 'a half-sent form must not become an object');
      });
    }),
);
