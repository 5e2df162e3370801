/**
 * One large file to `coskit serve` (child process, same machine): coskit `uploadFile` with its
 * defaults vs the official `cos-nodejs-sdk-v5` `uploadFile` with its defaults and with coskit's part
 * size and concurrency, vs `curl -T` (one pre-signed PUT), vs `cp` of the file on disk. Prints MB/s
 * and ratios from the same run; `curl -T` also to a server that discards the body (the loopback
 * HTTP limit). Prints the server's CPU seconds per GiB during coskit's upload, per thread from
 * /proc (the main JavaScript thread's share apart). `--sweep` also times coskit over part sizes ×
 * threads; `--no-official` skips the official SDK (the goal ratios need only coskit, curl and cp).
 *
 * `--server <path to another build's packages/cli/bin/coskit.js>` runs that build's server instead
 * (same client, same peers), for before/after figures of the server.
 *
 *   npm run build && node bench/dist/upload-file.bench.js [--mib 1024] [--rounds 1] [--no-official] [--sweep] [--server <bin>]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UPLOAD_DEFAULTS } from '@coskit/client';
import { presignQuery } from '@coskit/protocol';
import { coskitClient, officialCall, officialClient } from './lib/clients.js';
import { DEV_KEY, REGION } from './lib/signed-request.js';
import { spawnCoskitServer, spawnListening } from './lib/spawn.js';
import { cpuBetween, threadCpu } from './lib/thread-cpu.js';

const { values } = parseArgs({
  options: {
    mib: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '1' },
    sweep: { type: 'boolean', default: false },
    'no-official': { type: 'boolean', default: false },
    server: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const MiB = 1024 * 1024;
const size = Number(values.mib) * MiB;
const bucket = 'bench-1250000000';

async function writeRandomFile(path: string): Promise<void> {
  const file = await open(path, 'w');
  const chunk = randomBytes(16 * MiB);
  for (let done = 0; done < size; done += chunk.length)
    await file.write(chunk, 0, Math.min(chunk.length, size - done));
  await file.close();
}

async function timed(label: string, run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const rate = size / 1e6 / seconds;
  console.log(`${label.padEnd(52)} ${seconds.toFixed(2).padStart(7)} s  ${rate.toFixed(0).padStart(6)} MB/s`);
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-upload-'));
const server = await spawnCoskitServer(join(dir, 'data'), values.server);
const discard = await spawnListening(fileURLToPath(new URL('./lib/discard-server.js', import.meta.url)), []);
try {
  const file = join(dir, 'big.bin');
  await writeRandomFile(file);
  const ours = coskitClient(server.port);
  await ours.createBucket({ Bucket: bucket });
  const cp = join(dir, 'cp');
  console.log(
    `${(size / MiB).toFixed(0)} MiB file, coskit defaults: PartSize ${UPLOAD_DEFAULTS.partSizeMiB} MiB × MAXThread ${UPLOAD_DEFAULTS.maxThread}`,
  );

  const runs: Record<string, number>[] = [];
  for (let round = 0; round < rounds; round++) {
    const rates: Record<string, number> = {};
    const pid = server.child.pid!;
    const before = threadCpu(pid);
    rates.coskit = await timed('coskit uploadFile (defaults)', () =>
      ours.uploadFile({ Bucket: bucket, Key: 'coskit.bin', LocalFilePath: file, CheckpointDir: cp }),
    );
    const cpu = cpuBetween(pid, before, threadCpu(pid));
    const gib = size / 1024 ** 3;
    rates.cpuPerGiB = cpu.total / gib;
    rates.mainPerGiB = cpu.main / gib;
    console.log(
      `  server CPU: ${(cpu.total / gib).toFixed(2)} s/GiB, main thread ${(cpu.main / gib).toFixed(2)} s/GiB; per thread: ` +
        cpu.threads
          .slice(0, 8)
          .map((t) => `${t.tid === pid ? 'MAIN' : t.name}:${t.seconds.toFixed(2)}`)
          .join(' '),
    );
    if (!values['no-official']) {
      const official = officialClient(server.port);
      rates.officialDefaults = await timed('cos-nodejs-sdk-v5 uploadFile (defaults)', () =>
        officialCall(official, 'uploadFile', {
          Bucket: bucket,
          Region: REGION,
          Key: 'official.bin',
          FilePath: file,
        }),
      );
      const tuned = officialClient(server.port, { ChunkParallelLimit: UPLOAD_DEFAULTS.maxThread });
      rates.officialTuned = await timed(
        `cos-nodejs-sdk-v5 uploadFile (${UPLOAD_DEFAULTS.partSizeMiB} MiB × ${UPLOAD_DEFAULTS.maxThread})`,
        () =>
          officialCall(tuned, 'uploadFile', {
            Bucket: bucket,
            Region: REGION,
            Key: 'official-tuned.bin',
            FilePath: file,
            SliceSize: MiB,
            ChunkSize: UPLOAD_DEFAULTS.partSizeMiB * MiB,
          }),
      );
    }
    const host = `${bucket}.cos.${REGION}.myqcloud.com`;
    const q = presignQuery({ ...DEV_KEY, method: 'PUT', pathname: '/curl.bin', headers: { host } });
    rates.curl = await timed('curl -T (one pre-signed PUT)', async () => {
      execFileSync('curl', [
        '-sS',
        '-f',
        '-o',
        '/dev/null',
        '-H',
        `Host: ${host}`,
        '-T',
        file,
        `http://127.0.0.1:${server.port}/curl.bin?${q}`,
      ]);
    });
    rates.curlDiscard = await timed('curl -T to a server that discards the body', async () => {
      execFileSync('curl', [
        '-sS',
        '-f',
        '-o',
        '/dev/null',
        '-T',
        file,
        `http://127.0.0.1:${discard.port}/x`,
      ]);
    });
    rates.cp = await timed('cp + sync of the file on disk', async () => {
      execFileSync('cp', [file, join(dir, 'copy.bin')]);
      execFileSync('sync', [join(dir, 'copy.bin')]);
    });
    runs.push(rates);
  }
  if (values.sweep) {
    for (const part of [4, 8, 16, 32]) {
      for (const threads of [2, 4, 8, 16]) {
        await timed(`  sweep: coskit PartSize ${part} MiB × MAXThread ${threads}`, () =>
          ours.uploadFile({
            Bucket: bucket,
            Key: `sweep-${part}-${threads}.bin`,
            LocalFilePath: file,
            PartSize: part,
            MAXThread: threads,
            CheckpointDir: cp,
          }),
        );
      }
    }
  }
  const median = (name: string): number => {
    const xs = runs.map((r) => r[name]!).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  };
  const ratio = (name: string): string => runs.map((r) => (r.coskit! / r[name]!).toFixed(2)).join(' ');
  console.log(
    `\nuploadFile: coskit ${median('coskit').toFixed(0)} MB/s (median of ${runs.length}); per round: ` +
      `${ratio('cp')}x cp + sync, ${ratio('curlDiscard')}x curl -T to a discarding server, ${ratio('curl')}x curl -T to coskit serve` +
      (values['no-official']
        ? ''
        : `, ${ratio('officialDefaults')}x official SDK defaults, ${ratio('officialTuned')}x official SDK same parts/concurrency`),
  );
  console.log(
    `server CPU per GiB ingested: ${median('cpuPerGiB').toFixed(2)} s, of it the main thread ${median('mainPerGiB').toFixed(2)} s (medians)`,
  );
  ours.destroy();
} finally {
  await server.stop();
  await discard.stop();
  await rm(dir, { recursive: true, force: true });
}
