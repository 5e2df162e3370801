/**
 * What server-side encryption costs (issue 11 item 7). Two parts:
 *
 * 1. Cipher throughput on one core, fed 64 KiB chunks like a socket: AES-256-CTR (what the store
 *    uses), AES-256-GCM (the alternative: per-chunk integrity), beside MD5 (what every ingest
 *    already pays for the ETag).
 * 2. `coskit serve` (local store, spawned): PUT then GET of one object, plain vs SSE-COS vs SSE-C,
 *    alternated per round; MB/s and the ratio encrypted / plain.
 *
 *   npm run build && node bench/dist/sse.bench.js [--size-mib 64] [--rounds 3]
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { send } from './lib/signed-request.js';
import { spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '64' }, rounds: { type: 'string', default: '3' } },
});
const size = Number(values['size-mib']) * 1024 * 1024;
const rounds = Number(values.rounds);
const CHUNK = 64 * 1024;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---- 1. ciphers ------------------------------------------------------------------------------

const data = randomBytes(size);
const key = randomBytes(32);
const contenders: Record<string, () => void> = {
  'AES-256-CTR': () => {
    const c = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    for (let o = 0; o < size; o += CHUNK) c.update(data.subarray(o, o + CHUNK));
  },
  'AES-256-GCM (tag per 64 KiB)': () => {
    for (let o = 0; o < size; o += CHUNK) {
      const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
      c.update(data.subarray(o, o + CHUNK));
      c.final();
      c.getAuthTag();
    }
  },
  MD5: () => {
    const h = createHash('md5');
    for (let o = 0; o < size; o += CHUNK) h.update(data.subarray(o, o + CHUNK));
    h.digest();
  },
};
const cipherRuns: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(contenders)) {
    const t = performance.now();
    run();
    cipherRuns[name]!.push(mbps(size, performance.now() - t));
  }
}
console.log(`cipher throughput, one core, ${size / 1024 / 1024} MiB in 64 KiB chunks (median of ${rounds}):`);
for (const [name, runs] of Object.entries(cipherRuns))
  console.log(`  ${name.padEnd(30)} ${median(runs).toFixed(0)} MB/s`);

// ---- 2. the server ---------------------------------------------------------------------------

const customerKey = randomBytes(32);
const ssec = {
  'x-cos-server-side-encryption-customer-algorithm': 'AES256',
  'x-cos-server-side-encryption-customer-key': customerKey.toString('base64'),
  'x-cos-server-side-encryption-customer-key-MD5': createHash('md5').update(customerKey).digest('base64'),
};
const modes: Record<string, Record<string, string>> = {
  plain: {},
  'SSE-COS': { 'x-cos-server-side-encryption': 'AES256' },
  'SSE-C': ssec,
};
const dataDir = await mkdtemp(join(tmpdir(), 'coskit-bench-sse-'));
const server = await spawnCoskitServer(dataDir);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const bucket = 'bench-1250000000';
const results: Record<string, { put: number[]; get: number[] }> = Object.fromEntries(
  Object.keys(modes).map((m) => [m, { put: [], get: [] }]),
);
try {
  await send({ agent, port: server.port, method: 'PUT', bucket });
  for (let r = 0; r < rounds; r++) {
    for (const [mode, headers] of Object.entries(modes)) {
      const k = `obj-${mode}`;
      let t = performance.now();
      const put = await send({
        agent,
        port: server.port,
        method: 'PUT',
        bucket,
        key: k,
        body: data,
        headers,
      });
      const putMs = performance.now() - t;
      if (put.status !== 200) throw new Error(`${mode} PUT answered ${put.status}`);
      t = performance.now();
      const readHeaders = mode === 'SSE-C' ? ssec : {};
      const got = await send({
        agent,
        port: server.port,
        method: 'GET',
        bucket,
        key: k,
        headers: readHeaders,
      });
      const getMs = performance.now() - t;
      if (got.status !== 200 || !got.body.equals(data)) throw new Error(`${mode} GET did not read back`);
      const entry = results[mode]!;
      entry.put.push(mbps(size, putMs));
      entry.get.push(mbps(size, getMs));
    }
  }
} finally {
  agent.destroy();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
const plain = results['plain']!;
console.log(`coskit serve, one ${size / 1024 / 1024} MiB object, 1 connection (median of ${rounds}):`);
for (const [mode, r] of Object.entries(results)) {
  const p = median(r.put);
  const g = median(r.get);
  console.log(
    `  ${mode.padEnd(8)} PUT ${p.toFixed(0)} MB/s (${(p / median(plain.put)).toFixed(2)}x)  GET ${g.toFixed(0)} MB/s (${(g / median(plain.get)).toFixed(2)}x)`,
  );
}
