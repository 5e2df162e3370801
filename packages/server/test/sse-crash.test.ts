/**
 * kill -9 during encrypted writes (issue #11 item 7): concurrent SSE-COS PUTs, SSE-C PUTs, SSE-C
 * multipart uploads and re-encrypting copies, the first of them creating the SSE-COS key file.
 * After a restart every acknowledged object decrypts to exactly its bytes (SSE-C ones only with
 * their key), nothing torn is visible, and the key file is the one the objects were written with.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';

const Bucket = 'ssecrash-1250000000';
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const KEY = randomBytes(32);
const SSEC = {
  SSECustomerAlgorithm: 'AES256',
  SSECustomerKey: KEY.toString('base64'),
  SSECustomerKeyMD5: createHash('md5').update(KEY).digest('base64'),
};

interface Write {
  key: string;
  body: Buffer;
  /** Read parameters (the SSE-C key for SSE-C objects). */
  read: Record<string, string>;
  acked: boolean;
}

test(
  'kill -9 during SSE-COS and SSE-C writes: acknowledged objects decrypt whole after restart',
  { timeout: 120_000 },
  () =>
    crash.withDataDir('coskit-sse-crash-', async (dataDir) => {
      for (let round = 0; round < 2; round++) {
        const server = await crash.spawnServer(dataDir);
        const cos = crash.client(server.port);
        if (round === 0) assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
        const writes: Write[] = [];
        let stop = false;
        const putLoop = async (kind: 'cos' | 'c', worker: number) => {
          for (let i = 0; !stop; i++) {
            const body = randomBytes(1 + Math.floor(Math.random() * 200_000));
            const w: Write = {
              key: `r${round}/${kind}-${worker}-${i}`,
              body,
              read: kind === 'c' ? SSEC : {},
              acked: false,
            };
            writes.push(w);
            const sse = kind === 'c' ? SSEC : { ServerSideEncryption: 'AES256' };
            const r = await call(cos, 'putObject', {
              Bucket,
              Region: REGION,
              Key: w.key,
              Body: body,
              ...sse,
            });
            if (r.err) return;
            w.acked = true;
          }
        };
        const multipartLoop = async () => {
          for (let i = 0; !stop; i++) {
            const parts = [randomBytes(MiB), randomBytes(1 + Math.floor(Math.random() * 100_000))];
            const w: Write = {
              key: `r${round}/mp-${i}`,
              body: Buffer.concat(parts),
              read: SSEC,
              acked: false,
            };
            writes.push(w);
            const init = await call(cos, 'multipartInit', { Bucket, Region: REGION, Key: w.key, ...SSEC });
            if (init.err) return;
            for (const [n, p] of parts.entries()) {
              const r = await call(cos, 'multipartUpload', {
                Bucket,
                Region: REGION,
                Key: w.key,
                UploadId: init.data.UploadId,
                PartNumber: n + 1,
                Body: p,
                ...SSEC,
              });
              if (r.err) return;
            }
            const done = await call(cos, 'multipartComplete', {
              Bucket,
              Region: REGION,
              Key: w.key,
              UploadId: init.data.UploadId,
              Parts: parts.map((p, n) => ({ PartNumber: n + 1, ETag: `"${md5(p)}"` })),
            });
            if (done.err) return;
            w.acked = true;
          }
        };
        // Re-encrypting copies (SSE-C → SSE-COS: a real byte copy) of objects acknowledged so far.
        const copyLoop = async () => {
          for (let i = 0; !stop; i++) {
            const from = writes.find((w) => w.acked && w.read === SSEC && !w.key.includes('copy'));
            if (!from) {
              await new Promise((r) => setTimeout(r, 5));
              continue;
            }
            const w: Write = { key: `r${round}/copy-${i}`, body: from.body, read: {}, acked: false };
            writes.push(w);
            const r = await call(cos, 'putObjectCopy', {
              Bucket,
              Region: REGION,
              Key: w.key,
              CopySource: `${Bucket}.cos.${REGION}.myqcloud.com/${from.key}`,
              ServerSideEncryption: 'AES256',
              Headers: {
                'x-cos-copy-source-server-side-encryption-customer-algorithm': 'AES256',
                'x-cos-copy-source-server-side-encryption-customer-key': SSEC.SSECustomerKey,
                'x-cos-copy-source-server-side-encryption-customer-key-MD5': SSEC.SSECustomerKeyMD5,
              },
            });
            if (r.err) return;
            w.acked = true;
          }
        };
        const loops = [putLoop('cos', 0), putLoop('c', 1), putLoop('cos', 2), multipartLoop(), copyLoop()];
        const ackedSoFar = () => writes.filter((w) => w.acked).length;
        await crash.killWhenAcknowledged(server, {
          acked: ackedSoFar,
          atLeast: 8,
          jitterMs: 500,
          stop: () => {
            stop = true;
          },
          loops,
        });
        assert.ok(
          ackedSoFar() > 5,
          `round ${round}: only ${ackedSoFar()} writes acknowledged before the kill`,
        );
        assert.ok(
          writes.some((w) => w.acked && w.key.includes('copy')),
          `round ${round}: no re-encrypting copy was acknowledged`,
        );

        await crash.withRestarted(dataDir, async (check) => {
          for (const w of writes) {
            const r = await call(check, 'getObject', { Bucket, Region: REGION, Key: w.key, ...w.read });
            if (w.acked) assert.equal(r.err, null, `acknowledged ${w.key}: ${r.err?.code}`);
            if (r.err) {
              assert.equal(r.err.statusCode, 404, `${w.key}: ${r.err.code}`);
              continue;
            }
            assert.ok(Buffer.from(r.data.Body).equals(w.body), `${w.key} does not decrypt to its bytes`);
            if (w.read === SSEC) {
              const bare = await call(check, 'headObject', { Bucket, Region: REGION, Key: w.key });
              assert.equal(bare.err?.statusCode, 400, `${w.key} is readable without its key`);
            }
          }
        });
      }
      assert.deepEqual(await crash.tempFilesAfterCleanRestart(dataDir), []);
    }),
);
