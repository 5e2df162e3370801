/**
 * Small-object PUT throughput: 4 KiB objects over 64 concurrent keep-alive connections to
 * `coskit serve`, beside a baseline server that only does the durable file write (temp, fsync,
 * rename, dir fsync) — the floor any durable server pays. Prints requests/s and the ratio.
 *
 *   npm run build && node bench/dist/server-put.bench.js [--seconds 5] [--size 4096] [--connections 64]
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
    connections: { type: 'string', default: '64' },
  },
});
const seconds = Number(values.seconds);
const size = Number(values.size);
const connections = Number(values.connections);
const body = randomBytes(size);

async function load(
  name: string,
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
    `${name.padEnd(28)} ${rate.toFixed(0).padStart(7)} PUT/s  (${done} ok, ${failed} failed, ${elapsed.toFixed(1)} s, port ${port})`,
  );
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-put-'));
const servers: Spawned[] = [];
try {
  console.log(
    `PUT ${size} B objects, ${connections} connections, ${seconds} s each, same machine (2 cores shared by client and server)`,
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

  const coskitRate = await load(
    'coskit serve',
    coskit.port,
    async (agent, i) =>
      (await send({ agent, port: coskit.port, method: 'PUT', bucket, key: `obj/${i}`, body })).status,
  );
  const baseRate = await load(
    'baseline durable file write',
    baseline.port,
    async (agent, i) =>
      (await send({ agent, port: baseline.port, method: 'PUT', bucket, key: `obj/${i}`, body })).status,
  );
  console.log(
    `\nsmall PUT: coskit ${coskitRate.toFixed(0)}/s = ${(coskitRate / baseRate).toFixed(2)}x the bare durable-write baseline (${baseRate.toFixed(0)}/s)`,
  );
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
