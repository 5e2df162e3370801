/**
 * Complete Multipart Upload must cost O(number of parts), not O(bytes): complete an upload of
 * 100 MiB and one of 10 GiB (the same 100 parts, 1 MiB vs ~100 MiB each) and compare. Baseline in
 * the same run: copying the 100 MiB of the small upload with `cp`, i.e. what a Complete that copied
 * bytes would pay per 100 MiB.
 *
 *   npm run build && node bench/dist/complete.bench.js [--big-gib 10] [--parts 100]
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCompleteMultipartUpload, parseInitiateMultipartUploadResult } from '@coskit/protocol';
import { send } from './lib/signed-request.js';
import { spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { 'big-gib': { type: 'string', default: '10' }, parts: { type: 'string', default: '100' } },
});
const bigBytes = Number(values['big-gib']) * 1024 ** 3;
const parts = Number(values.parts);
const MiB = 1024 * 1024;
const bucket = 'bench-1250000000';
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

async function uploadAndComplete(port: number, key: string, partSize: number): Promise<number> {
  const init = await send({ agent, port, method: 'POST', bucket, key, query: { uploads: '' } });
  const { UploadId } = parseInitiateMultipartUploadResult(init.body);
  // One random part body reused for every part: the server hashes and stores each anyway.
  const chunk = randomBytes(partSize);
  const etag = `"${createHash('md5').update(chunk).digest('hex')}"`;
  let next = 1;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next <= parts) {
        const n = next++;
        const r = await send({
          agent,
          port,
          method: 'PUT',
          bucket,
          key,
          query: { partNumber: String(n), uploadId: UploadId },
          body: chunk,
        });
        if (r.status !== 200) throw new Error(`part ${n}: ${r.status} ${r.body}`);
      }
    }),
  );
  const xml = buildCompleteMultipartUpload({
    Part: Array.from({ length: parts }, (_, i) => ({ PartNumber: i + 1, ETag: etag })),
  });
  const started = performance.now();
  const done = await send({
    agent,
    port,
    method: 'POST',
    bucket,
    key,
    query: { uploadId: UploadId },
    body: Buffer.from(xml),
  });
  const ms = performance.now() - started;
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${done.body}`);
  return ms;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-complete-'));
const server = await spawnCoskitServer(join(dir, 'data'));
try {
  await send({ agent, port: server.port, method: 'PUT', bucket });
  const smallPart = MiB;
  const bigPart = Math.floor(bigBytes / parts);
  console.log(
    `${parts} parts each: ${smallPart / MiB} MiB (${(parts * smallPart) / MiB} MiB total) vs ${(bigPart / MiB).toFixed(0)} MiB (${(bigBytes / 1024 ** 3).toFixed(1)} GiB total)`,
  );
  const small = await uploadAndComplete(server.port, 'small.bin', smallPart);
  console.log(`complete, ${((parts * smallPart) / MiB).toFixed(0)} MiB of parts: ${small.toFixed(1)} ms`);
  const big = await uploadAndComplete(server.port, 'big.bin', bigPart);
  console.log(`complete, ${(bigBytes / 1024 ** 3).toFixed(1)} GiB of parts: ${big.toFixed(1)} ms`);
  const file = join(dir, 'copy-src.bin');
  await writeFile(file, randomBytes(parts * smallPart));
  const started = performance.now();
  execFileSync('cp', [file, join(dir, 'copy-dst.bin')]);
  execFileSync('sync', [join(dir, 'copy-dst.bin')]);
  const cp = performance.now() - started;
  console.log(`baseline: cp + sync of ${(parts * smallPart) / MiB} MiB: ${cp.toFixed(1)} ms`);
  console.log(
    `\ncomplete: ${(big / small).toFixed(2)}x time for ${(bigBytes / (parts * smallPart)).toFixed(0)}x the bytes; ` +
      `a byte-copying Complete of the big upload would take about ${((cp * bigBytes) / (parts * smallPart) / 1000).toFixed(1)} s`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
