/**
 * Small-object GET throughput: 4 KiB objects read back over 1, 16 and 64 keep-alive connections
 * from `coskit serve` (signed GET Object), beside a plain file-read server (`readFile` of one file
 * per request, no auth, no metadata) holding the same objects. The peer's GETs are signed the same
 * way (it ignores the signature), so the load generator pays the same per request for both and
 * the ratio is the servers'. Both servers alternate per connection count; prints GET/s and the
 * CPU each server and the load generator spent per GET (from /proc: on a shared machine the rate
 * swings with other work, CPU per request much less), and the median ratio per count.
 *
 * `--before <path to another build's packages/cli/bin/coskit.js>` adds that build's server to
 * every round (same objects, same peer), for before/after figures from one run.
 *
 *   npm run build && node bench/dist/server-get.bench.js [--seconds 5] [--size 4096] [--objects 1000] [--connections 1,16,64] [--rounds 1] [--before <bin>]
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
import { cpuBetween, threadCpu } from './lib/thread-cpu.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    size: { type: 'string', default: '4096' },
    objects: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '1,16,64' },
    rounds: { type: 'string', default: '1' },
    before: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const size = Number(values.size);
const objects = Number(values.objects);
const connectionCounts = values.connections.split(',').map(Number);
const rounds = Number(values.rounds);
const bucket = 'bench-1250000000';

async function load(
  name: string,
  server: Spawned,
  connections: number,
  get: (agent: Agent, i: number) => Promise<{ status: number; bytes: number }>,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const serverBefore = threadCpu(server.child.pid!);
  const clientBefore = process.cpuUsage();
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
  const serverCpu = cpuBetween(server.child.pid!, serverBefore, threadCpu(server.child.pid!)).total;
  const client = process.cpuUsage(clientBefore);
  agent.destroy();
  const rate = done / elapsed;
  const perGet = (s: number) => ((s * 1e6) / Math.max(1, done + failed)).toFixed(0).padStart(4);
  console.log(
    `${name.padEnd(28)} ${String(connections).padStart(3)} conn ${rate.toFixed(0).padStart(7)} GET/s  (${done} ok, ${failed} failed, ${elapsed.toFixed(1)} s; CPU µs/GET: server ${perGet(serverCpu)}, load generator ${perGet((client.user + client.system) / 1e6)})`,
  );
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-get-'));
const servers: Spawned[] = [];
try {
  const coskit = await spawnCoskitServer(join(dir, 'coskit'));
  servers.push(coskit);
  const before = values.before ? await spawnCoskitServer(join(dir, 'before'), values.before) : undefined;
  if (before) servers.push(before);
  const coskits = before ? [coskit, before] : [coskit];
  await mkdir(join(dir, 'plain'));
  const plain = await spawnListening(fileURLToPath(new URL('./lib/file-read-server.js', import.meta.url)), [
    join(dir, 'plain'),
  ]);
  servers.push(plain);
  const setup = new Agent({ keepAlive: true, maxSockets: 16 });
  for (const c of coskits) {
    const created = await send({ agent: setup, port: c.port, method: 'PUT', bucket });
    if (created.status !== 200) throw new Error(`create bucket: ${created.status} ${created.body}`);
  }
  const body = randomBytes(size);
  for (let i = 0; i < objects; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, objects - i) }, async (_, j) => {
        for (const c of coskits) {
          const r = await send({
            agent: setup,
            port: c.port,
            method: 'PUT',
            bucket,
            key: `obj-${i + j}`,
            body,
          });
          if (r.status !== 200) throw new Error(`put: ${r.status}`);
        }
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
  const ratios = new Map<string, number[]>();
  const signedGet = (server: Spawned) => async (agent: Agent, i: number) => {
    const r = await send({ agent, port: server.port, method: 'GET', bucket, key: `obj-${i}` });
    return { status: r.status, bytes: r.body.length };
  };
  const record = (label: string, ratio: number) => ratios.set(label, [...(ratios.get(label) ?? []), ratio]);
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      // Odd rounds run the before build first, so neither build always follows the peer.
      const order = round % 2 === 1 && before ? [before, coskit] : coskits;
      const rates = new Map<Spawned, number>();
      for (const server of order) {
        rates.set(
          server,
          await load(
            server === before ? 'coskit serve (before)' : 'coskit serve',
            server,
            connections,
            signedGet(server),
          ),
        );
      }
      const base = await load('plain file-read server', plain, connections, signedGet(plain));
      record(`${connections} connections: coskit`, rates.get(coskit)! / base);
      if (before) record(`${connections} connections: before`, rates.get(before)! / base);
    }
  }
  console.log('');
  for (const [label, r] of ratios) {
    const sorted = [...r].sort((a, b) => a - b);
    console.log(
      `small GET, ${label} = ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}x the plain file-read server (median of ${r.length}; all ${r.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
