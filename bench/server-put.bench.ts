/**
 * Small-object PUT throughput: 4 KiB objects over 1, 16 and 64 concurrent keep-alive connections
 * to `coskit serve`, beside a baseline server that only does the durable file write (temp, fsync,
 * rename, dir fsync) — the floor any durable server pays. Each round runs both servers once per
 * connection count, alternating; prints requests/s per run and the median ratio per count.
 *
 *   npm run build && node bench/dist/server-put.bench.js [--seconds 5] [--size 4096] [--connections 1,16,64] [--rounds 1]
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

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    size: { type: 'string', default: '4096' },
    connections: { type: 'string', default: '1,16,64' },
    rounds: { type: 'string', default: '1' },
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
  port: number,
  put: (agent: Agent, i: number) => Promise<number>,
): Promise<number> {
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
  agent.destroy();
  const rate = done / elapsed;
  console.log(
    `${name.padEnd(28)} ${String(connections).padStart(3)} conn ${rate.toFixed(0).padStart(7)} PUT/s  (${done} ok, ${failed} failed, ${elapsed.toFixed(1)} s, port ${port})`,
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
  const bucket = 'bench-1250000000';
  const created = await send({ agent: new Agent(), port: coskit.port, method: 'PUT', bucket });
  if (created.status !== 200) throw new Error(`create bucket: ${created.status} ${created.body}`);
  const baseline = await spawnListening(
    fileURLToPath(new URL('./lib/durable-file-server.js', import.meta.url)),
    [join(dir, 'baseline')],
  );
  servers.push(baseline);

  const ratios = new Map<number, number[]>();
  let seq = 0;
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      const coskitRate = await load(
        'coskit serve',
        connections,
        coskit.port,
        async (agent, i) =>
          (await send({ agent, port: coskit.port, method: 'PUT', bucket, key: `obj/${seq}-${i}`, body }))
            .status,
      );
      const baseRate = await load(
        'baseline durable file write',
        connections,
        baseline.port,
        async (agent, i) =>
          (await send({ agent, port: baseline.port, method: 'PUT', bucket, key: `obj/${i}`, body })).status,
      );
      seq++;
      ratios.set(connections, [...(ratios.get(connections) ?? []), coskitRate / baseRate]);
    }
  }
  console.log('');
  for (const [connections, r] of ratios) {
    const sorted = [...r].sort((a, b) => a - b);
    console.log(
      `small PUT, ${connections} connections: coskit = ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}x the durable-write floor (median of ${r.length}; all ${r.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
