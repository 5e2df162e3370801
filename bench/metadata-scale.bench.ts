/**
 * Metadata at scale: Complete Multipart Upload of 10,000 parts, and a 1,000-key ListObjects page
 * of a 1,000,000-key bucket at its start, middle and end, against `coskit serve` (child process).
 * The goals are absolute (Complete ≤ 0.5 s, a page ≤ 20 ms), so there is no peer.
 *
 * Building that state through HTTP would take hours (10 GiB of 1 MiB parts, 1M synced PUTs), so
 * the bench writes it into the server's own metadata store while the server is stopped: one real
 * 1 MiB object is PUT first, and the part and object records are copies of its record (sharing its
 * blob, counted in blob-refs as PUT Object - Copy would), written in transactions of
 * `--batch` records. The timed requests then run through the real server: the first page right
 * after the server starts, then `--repeat` rounds of start, middle and end pages, each with the
 * server's CPU time for it (from /proc; on a shared machine the wall time swings with other work).
 *
 * `--before <path to another build's packages/cli/bin/coskit.js>` also times the pages on that
 * build's server over the same data, alternating with this one for `--rounds` rounds (each round
 * restarts both servers, so every round has a first page after start).
 *
 *   npm run build && node bench/dist/metadata-scale.bench.js [--keys 1000000] [--parts 10000] [--repeat 5] [--rounds 1] [--before <bin>]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildCompleteMultipartUpload,
  parseInitiateMultipartUploadResult,
  parseListBucketResult,
} from '@coskit/protocol';
import { send } from './lib/signed-request.js';
import { type Spawned, spawnCoskitServer } from './lib/spawn.js';
import { threadCpu } from './lib/thread-cpu.js';

// The server's own metadata code, from its build (bench/dist/ sits one level below bench/).
const serverDist = new URL('../../packages/server/dist/src/store/', import.meta.url);
const { objectKey, partKey } = (await import(
  new URL('keys.js', serverDist).href
)) as typeof import('../packages/server/dist/src/store/keys.js');
const { MetadataStore } = (await import(
  new URL('local/metadata.js', serverDist).href
)) as typeof import('../packages/server/dist/src/store/local/metadata.js');

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '1000000' },
    parts: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    before: { type: 'string' },
  },
});
const keyCount = Number(values.keys);
const partCount = Number(values.parts);
const batch = Number(values.batch);
const repeat = Number(values.repeat);
const rounds = Number(values.rounds);
const bucket = 'bench-1250000000';
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const keyName = (i: number): string => `k/${String(i).padStart(8, '0')}`;

async function timedMs(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-meta-'));
const data = join(dir, 'data');
try {
  // 1. A real object and an upload, through the server.
  let server = await spawnCoskitServer(data);
  await send({ agent, port: server.port, method: 'PUT', bucket });
  const body = randomBytes(1024 * 1024);
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  const put = await send({ agent, port: server.port, method: 'PUT', bucket, key: 'seed', body });
  if (put.status !== 200) throw new Error(`seed PUT: ${put.status}`);
  const init = await send({
    agent,
    port: server.port,
    method: 'POST',
    bucket,
    key: 'big',
    query: { uploads: '' },
  });
  const { UploadId } = parseInitiateMultipartUploadResult(init.body);
  await server.stop();

  // 2. Parts and keys written straight into the metadata store, in large transactions.
  const buildStarted = performance.now();
  const meta = new MetadataStore(join(data, 'meta'));
  const { objects, parts, blobRefs } = meta.dbs;
  const seed = objects.get(objectKey(bucket, 'seed'));
  if (!seed) throw new Error('seed record not found');
  const blob = seed.segments[0]!.blob;
  const part = { blob, size: seed.size, etag: seed.etag, crc64: seed.crc64, lastModified: Date.now() };
  await meta.transaction(() => {
    for (let n = 1; n <= partCount; n++) parts.putSync(partKey(UploadId, n), part);
  });
  for (let i = 0; i < keyCount; i += batch) {
    await meta.transaction(() => {
      for (let j = i; j < Math.min(keyCount, i + batch); j++)
        objects.putSync(objectKey(bucket, keyName(j)), seed);
    });
  }
  await meta.transaction(() => blobRefs.putSync(blob, keyCount + partCount));
  await meta.close();
  console.log(
    `built ${keyCount} keys and ${partCount} parts in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s (batches of ${batch})`,
  );

  // 3. Timed requests through the server(s): each round starts them afresh.
  const markers = { start: '', middle: keyName(Math.floor(keyCount / 2)), end: keyName(keyCount - 1001) };
  const builds = values.before ? ['after', 'before'] : ['after'];
  type Timing = { ms: number; cpuMs: number };
  const timings = new Map<string, Timing[]>();
  const note = (label: string, t: Timing) => timings.set(label, [...(timings.get(label) ?? []), t]);
  /** One page at `marker`, timed to the last byte of the answer, with the server's CPU for it. */
  const page = async (server: Spawned, where: string, marker: string): Promise<Timing> => {
    const cpu = () => [...threadCpu(server.child.pid!).values()].reduce((t, x) => t + x.seconds, 0);
    const cpuBefore = cpu();
    const started = performance.now();
    const res = await send({
      agent,
      port: server.port,
      method: 'GET',
      bucket,
      query: { 'max-keys': '1000', ...(marker ? { marker } : {}) },
    });
    const timing = { ms: performance.now() - started, cpuMs: (cpu() - cpuBefore) * 1000 };
    // The XML is parsed (checked) outside the timing.
    const listed = parseListBucketResult(res.body);
    if (res.status !== 200 || (listed.Contents?.length ?? 0) !== 1000)
      throw new Error(`list at ${where}: ${res.status}, ${listed.Contents?.length} keys`);
    return timing;
  };
  for (let round = 0; round < rounds; round++) {
    for (const build of round % 2 === 1 ? [...builds].reverse() : builds) {
      const started = performance.now();
      const running = await spawnCoskitServer(data, build === 'before' ? values.before : undefined);
      const startMs = performance.now() - started;
      note(`${build}: first page after start`, await page(running, 'start', ''));
      for (let r = 0; r < repeat; r++) {
        for (const [where, marker] of Object.entries(markers))
          note(`${build}: ${where}`, await page(running, where, marker));
      }
      await running.stop();
      console.log(`${build}: server started in ${startMs.toFixed(0)} ms (round ${round + 1})`);
    }
  }
  server = await spawnCoskitServer(data);
  const xml = Buffer.from(
    buildCompleteMultipartUpload({
      Part: Array.from({ length: partCount }, (_, i) => ({ PartNumber: i + 1, ETag: etag })),
    }),
  );
  const complete = await timedMs(async () => {
    const res = await send({
      agent,
      port: server.port,
      method: 'POST',
      bucket,
      key: 'big',
      query: { uploadId: UploadId },
      body: xml,
    });
    if (res.status !== 200) throw new Error(`complete: ${res.status} ${res.body}`);
  });
  await server.stop();

  console.log('');
  for (const [label, ts] of timings) {
    console.log(
      `ListObjects 1000-key page, ${label.padEnd(32)} of ${keyCount} keys: ${median(ts.map((t) => t.ms)).toFixed(1)} ms, server CPU ${median(ts.map((t) => t.cpuMs)).toFixed(0)} ms (medians of ${ts.length}; all ${ts.map((t) => t.ms.toFixed(0)).join(' ')} ms; goal ≤ 20 ms)`,
    );
  }
  console.log(`Complete of ${partCount} parts: ${complete.toFixed(0)} ms (goal ≤ 500 ms)`);
} finally {
  agent.destroy();
  await rm(dir, { recursive: true, force: true });
}
