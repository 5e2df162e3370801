/**
 * POST Object (browser form upload) against PUT Object of the same size on `coskit serve`: MB/s of
 * each, one object at a time, and the server's peak RSS — the form's file streams into the store, so
 * the server holds a few MiB whatever the size. The form body is generated as it is sent, so the
 * client does not hold it either.
 *
 *   npm run build && node bench/dist/post-object.bench.js [--mib 256] [--rounds 3]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPostPolicy, signRequest } from '@coskit/protocol';
import { DEV_KEY, REGION, send } from './lib/signed-request.js';
import { COSKIT_BIN, type Spawned, spawnListening } from './lib/spawn.js';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '256' }, rounds: { type: 'string', default: '3' } },
});
const size = Number(values.mib) * 1024 * 1024;
const rounds = Number(values.rounds);
const CHUNK = randomBytes(1024 * 1024);
const BOUNDARY = '----coskitBench';
const bucket = 'bench-1250000000';

/** `size` bytes, 1 MiB at a time. */
function* fileChunks(): Generator<Buffer> {
  for (let sent = 0; sent < size; sent += CHUNK.length)
    yield CHUNK.subarray(0, Math.min(CHUNK.length, size - sent));
}

function upload(port: number, method: 'PUT' | 'POST', key: string): Promise<number> {
  const host = `${bucket}.cos.${REGION}.myqcloud.com`;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const headers: Record<string, string> = { host };
  if (method === 'POST') {
    const { fields } = buildPostPolicy({ ...DEV_KEY, bucket, key });
    head = Buffer.from(
      Object.entries(fields)
        .map(([n, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
        .join('') + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`,
    );
    tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
  }
  headers['content-length'] = String(head.length + size + tail.length);
  if (method === 'PUT')
    headers['authorization'] = signRequest({ ...DEV_KEY, method, pathname: `/${key}`, headers });
  const body = Readable.from(
    (function* () {
      yield head;
      yield* fileChunks();
      yield tail;
    })(),
  );
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: method === 'PUT' ? `/${key}` : '/', headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200 && res.statusCode !== 204)
            reject(new Error(`${method}: ${res.statusCode}`));
          else resolve(size / ((performance.now() - started) / 1000) / 1e6);
        });
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-post-'));
let server: Spawned | undefined;
try {
  const rss = fileURLToPath(new URL('./lib/report-peak-rss.js', import.meta.url));
  // `node --import <peak-rss> coskit serve …`: the server prints its peak RSS when it stops.
  server = await spawnListening('--import', [
    rss,
    COSKIT_BIN,
    'serve',
    '--port',
    '0',
    '--data',
    dir,
    '--log-level',
    'silent',
  ]);
  const created = await send({ agent: new Agent(), port: server.port, method: 'PUT', bucket });
  if (created.status !== 200) throw new Error(`create bucket: ${created.status}`);
  console.log(
    `${values.mib} MiB objects, ${rounds} rounds, one at a time, same machine (2 cores shared by client and server)`,
  );
  const results: Record<string, number[]> = { PUT: [], POST: [] };
  for (let round = 0; round < rounds; round++) {
    for (const method of ['PUT', 'POST'] as const)
      results[method]!.push(await upload(server.port, method, `obj-${method}-${round}`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [method, xs] of Object.entries(results))
    console.log(
      `${method.padEnd(5)} median ${median(xs).toFixed(0)} MB/s  (${xs.map((x) => x.toFixed(0)).join(', ')})`,
    );
  console.log(
    `POST/PUT ${(median(results['POST']!) / median(results['PUT']!)).toFixed(2)}; server peak RSS follows on stop:`,
  );
} finally {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}
