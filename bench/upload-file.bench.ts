/**
 * One large file to `coskit serve` (child process, same machine): coskit `uploadFile` with its
 * defaults vs the official `cos-nodejs-sdk-v5` `uploadFile` with its defaults and with coskit's part
 * size and concurrency, vs `curl -T` (one pre-signed PUT), vs `cp` of the file on disk. Prints MB/s
 * and ratios from the same run. `--sweep` also times coskit over part sizes × threads.
 *
 *   npm run build && node bench/dist/upload-file.bench.js [--mib 1024] [--sweep]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UPLOAD_DEFAULTS } from '@coskit/client';
import { presignQuery } from '@coskit/protocol';
import { coskitClient, officialCall, officialClient } from './lib/clients.js';
import { DEV_KEY, REGION } from './lib/signed-request.js';
import { spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '1024' }, sweep: { type: 'boolean', default: false } },
});
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
const server = await spawnCoskitServer(join(dir, 'data'));
try {
  const file = join(dir, 'big.bin');
  await writeRandomFile(file);
  const ours = coskitClient(server.port);
  await ours.createBucket({ Bucket: bucket });
  const cp = join(dir, 'cp');
  console.log(
    `${(size / MiB).toFixed(0)} MiB file, coskit defaults: PartSize ${UPLOAD_DEFAULTS.partSizeMiB} MiB × MAXThread ${UPLOAD_DEFAULTS.maxThread}`,
  );

  const rates: Record<string, number> = {};
  rates.coskit = await timed('coskit uploadFile (defaults)', () =>
    ours.uploadFile({ Bucket: bucket, Key: 'coskit.bin', LocalFilePath: file, CheckpointDir: cp }),
  );
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
  rates.cp = await timed('cp + sync of the file on disk', async () => {
    execFileSync('cp', [file, join(dir, 'copy.bin')]);
    execFileSync('sync', [join(dir, 'copy.bin')]);
  });
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
  console.log(
    `\nuploadFile: coskit ${rates.coskit!.toFixed(0)} MB/s = ${(rates.coskit! / rates.officialDefaults!).toFixed(2)}x official SDK defaults, ` +
      `${(rates.coskit! / rates.officialTuned!).toFixed(2)}x official SDK same parts/concurrency, ` +
      `${(rates.coskit! / rates.curl!).toFixed(2)}x curl single PUT, ${(rates.coskit! / rates.cp!).toFixed(2)}x cp`,
  );
  ours.destroy();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
