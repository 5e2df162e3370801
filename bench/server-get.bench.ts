/**
 * Small-object GET throughput: 4 KiB objects read back over 1, 16 and 64 keep-alive connections
 * from `coskit serve` (signed GET Object), beside a plain file-read server (`readFile` of one file
 * per request, no auth, no metadata) holding the same objects. Both servers alternate per
 * connection count; prints GET/s per run and the median ratio per count.
 *
 *   npm run build && node bench/dist/server-get.bench.js [--seconds 5] [--size 4096] [--objects 1000] [--connections 1,16,64] [--rounds 1]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { send } from './lib/signed-request.js';
import { type Spawned, spawnCoskitServer, spawnListening } from './lib/spawn.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    size: { type: 'string', default: '4096' },
    objects: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '1,16,64' },
    rounds: { type: 'string', default: '1' },
  },
});
const seconds = Number(values.seconds);
const size = Number(values.size);
const objects = Number(values.objects);
const connectionCounts = values.connections.split(',').map(Number);
const rounds = Number(values.rounds);
const bucket = 'bench-1250000000';

/** An unsigned GET of `/<name>` that reads the whole answer; resolves with its status and size. */
function plainGet(agent: Agent, port: number, name: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: `/${name}` }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function load(
  name: string,
  connections: number,
  get: (agent: Agent, i: number) => Promise<{ status: number; bytes: number }>,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, w) => {
      for (let i = w; performance.now() < until; i += connections) {
        const r = await get(agent, i % objects);
        if (r.status === 200 && r.bytes === size) done++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const rate = done / elapsed;
  console.log(
    `${name.padEnd(28)} ${String(connections).padStart(3)} conn ${rate.toFixed(0).padStart(7)} GET/s  (${done} ok, ${failed} failed, ${elapsed.toFixed(1)} s)`,
  );
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-get-'));
const servers: Spawned[] = [];
try {
  const coskit = await spawnCoskitServer(join(dir, 'coskit'));
  servers.push(coskit);
  await mkdir(join(dir, 'plain'));
  const plain = await spawnListening(fileURLToPath(new URL('./lib/file-read-server.js', import.meta.url)), [
    join(dir, 'plain'),
  ]);
  servers.push(plain);
  const setup = new Agent({ keepAlive: true, maxSockets: 16 });
  const created = await send({ agent: setup, port: coskit.port, method: 'PUT', bucket });
  if (created.status !== 200) throw new Error(`create bucket: ${created.status} ${created.body}`);
  const body = randomBytes(size);
  for (let i = 0; i < objects; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, objects - i) }, async (_, j) => {
        const r = await send({
          agent: setup,
          port: coskit.port,
          method: 'PUT',
          bucket,
          key: `obj-${i + j}`,
          body,
        });
        if (r.status !== 200) throw new Error(`put: ${r.status}`);
        await new Promise<void>((resolve, reject) => {
          const req = request(
            { agent: setup, host: '127.0.0.1', port: plain.port, method: 'PUT', path: `/obj-${i + j}` },
            (res) => res.resume().on('end', resolve),
          );
          req.on('error', reject);
          req.end(body);
        });
      }),
    );
  }
  setup.destroy();
  console.log(
    `GET ${size} B objects (${objects} of them), ${connectionCounts.join('/')} connections, ${seconds} s each, same machine`,
  );
  const ratios = new Map<number, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      const ours = await load('coskit serve', connections, async (agent, i) => {
        const r = await send({ agent, port: coskit.port, method: 'GET', bucket, key: `obj-${i}` });
        return { status: r.status, bytes: r.body.length };
      });
      const base = await load('plain file-read server', connections, (agent, i) =>
        plainGet(agent, plain.port, `obj-${i}`),
      );
      ratios.set(connections, [...(ratios.get(connections) ?? []), ours / base]);
    }
  }
  console.log('');
  for (const [connections, r] of ratios) {
    const sorted = [...r].sort((a, b) => a - b);
    console.log(
      `small GET, ${connections} connections: coskit = ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}x the plain file-read server (median of ${r.length}; all ${r.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
