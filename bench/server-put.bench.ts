/**
 * Small-object PUT throughput: 4 KiB objects over 1, 16 and 64 concurrent keep-alive connections
 * to `coskit serve`, beside a baseline server that only does the durable file write (temp, fsync,
 * rename, dir fsync) — the floor any durable server pays. Each round runs both servers once per
 * connection count, alternating; prints requests/s and the server's CPU per PUT (from /proc) per
 * run, and the median ratio per count.
 *
 * `--before <path to another build's packages/cli/bin/coskit.js>` adds that build's server to
 * every round (same peer), for before/after figures from one run.
 *
 *   npm run build && node bench/dist/server-put.bench.js [--seconds 5] [--size 4096] [--connections 1,16,64] [--rounds 1] [--before <bin>]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
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
    connections: { type: 'string', default: '1,16,64' },
    rounds: { type: 'string', default: '1' },
    before: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const size = Number(values.size);
const connectionCounts = values.connections.split(',').map(Number);
const rounds = Number(values.rounds);
const body = randomBytes(size);

async function load(
  name: string,
  connections: number,
  server: Spawned,
  put: (agent: Agent, i: number) => Promise<number>,
): Promise<number> {
  const port = server.port;
  const cpuBefore = threadCpu(server.child.pid!);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const status = await put(agent, w * 1_000_000 + i);
        if (status === 200) done++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuBetween(server.child.pid!, cpuBefore, threadCpu(server.child.pid!)).total;
  agent.destroy();
  const rate = done / elapsed;
  console.log(
    `${name.padEnd(28)} ${String(connections).padStart(3)} conn ${rate.toFixed(0).padStart(7)} PUT/s  (${done} ok, ${failed} failed, ${elapsed.toFixed(1)} s; server CPU ${((cpu * 1e6) / Math.max(1, done + failed)).toFixed(0)} µs/PUT)`,
  );
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-put-'));
const servers: Spawned[] = [];
try {
  console.log(
    `PUT ${size} B objects, ${connectionCounts.join('/')} connections, ${seconds} s each, same machine (2 cores shared by client and server)`,
  );
  const coskit = await spawnCoskitServer(join(dir, 'coskit'));
  servers.push(coskit);
  const before = values.before ? await spawnCoskitServer(join(dir, 'before'), values.before) : undefined;
  if (before) servers.push(before);
  const bucket = 'bench-1250000000';
  for (const server of before ? [coskit, before] : [coskit]) {
    const created = await send({ agent: new Agent(), port: server.port, method: 'PUT', bucket });
    if (created.status !== 200) throw new Error(`create bucket: ${created.status} ${created.body}`);
  }
  const baseline = await spawnListening(
    fileURLToPath(new URL('./lib/durable-file-server.js', import.meta.url)),
    [join(dir, 'baseline')],
  );
  servers.push(baseline);

  const ratios = new Map<string, number[]>();
  const record = (label: string, ratio: number) => ratios.set(label, [...(ratios.get(label) ?? []), ratio]);
  let seq = 0;
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      // Odd rounds run the before build first, so neither build always follows the peer.
      const order = before ? (round % 2 === 1 ? [before, coskit] : [coskit, before]) : [coskit];
      const rates = new Map<Spawned, number>();
      for (const server of order) {
        rates.set(
          server,
          await load(
            server === before ? 'coskit serve (before)' : 'coskit serve',
            connections,
            server,
            async (agent, i) =>
              (await send({ agent, port: server.port, method: 'PUT', bucket, key: `obj/${seq}-${i}`, body }))
                .status,
          ),
        );
      }
      const baseRate = await load(
        'baseline durable file write',
        connections,
        baseline,
        async (agent, i) =>
          (await send({ agent, port: baseline.port, method: 'PUT', bucket, key: `obj/${i}`, body })).status,
      );
      seq++;
      record(`${connections} connections: coskit`, rates.get(coskit)! / baseRate);
      if (before) record(`${connections} connections: before`, rates.get(before)! / baseRate);
    }
  }
  console.log('');
  for (const [label, r] of ratios) {
    const sorted = [...r].sort((a, b) => a - b);
    console.log(
      `small PUT, ${label} = ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}x the durable-write floor (median of ${r.length}; all ${r.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
