/**
 * Many small files: `uploadDirectory` of `--files` files of `--size` bytes vs the official SDK's
 * `uploadFiles` (its defaults: 3 files at once) and with the same files-in-flight, same run.
 *
 *   npm run build && node bench/dist/upload-directory.bench.js [--files 10000] [--size 4096]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { coskitClient, officialCall, officialClient } from './lib/clients.js';
import { REGION } from './lib/signed-request.js';
import { spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '10000' }, size: { type: 'string', default: '4096' } },
});
const count = Number(values.files);
const size = Number(values.size);
const bucket = 'bench-1250000000';
const FILE_THREADS = 16;

async function timed(label: string, run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(50)} ${seconds.toFixed(2).padStart(7)} s  ${(count / seconds).toFixed(0).padStart(6)} files/s`,
  );
  return count / seconds;
}

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-dir-'));
const server = await spawnCoskitServer(join(dir, 'data'));
try {
  const root = join(dir, 'files');
  const paths: string[] = [];
  for (let d = 0; d < Math.ceil(count / 1000); d++) await mkdir(join(root, `d${d}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const p = join(root, `d${Math.floor(i / 1000)}`, `f${i}.bin`);
    await writeFile(p, randomBytes(size));
    paths.push(p);
  }
  const ours = coskitClient(server.port);
  await ours.createBucket({ Bucket: bucket });
  console.log(`${count} files of ${size} B`);
  const coskit = await timed(`coskit uploadDirectory (FileThreads ${FILE_THREADS})`, async () => {
    const r = await ours.uploadDirectory({
      Bucket: bucket,
      LocalDir: root,
      Prefix: 'coskit/',
      FileThreads: FILE_THREADS,
    });
    if (!r.success_all) throw new Error(`${r.failed.length} files failed`);
  });
  const files = (prefix: string) =>
    paths.map((FilePath, i) => ({ Bucket: bucket, Region: REGION, Key: `${prefix}/${i}`, FilePath }));
  const official = await timed('cos-nodejs-sdk-v5 uploadFiles (defaults)', () =>
    officialCall(officialClient(server.port), 'uploadFiles', { files: files('official') }),
  );
  const officialTuned = await timed(`cos-nodejs-sdk-v5 uploadFiles (FileParallelLimit ${FILE_THREADS})`, () =>
    officialCall(officialClient(server.port, { FileParallelLimit: FILE_THREADS }), 'uploadFiles', {
      files: files('tuned'),
    }),
  );
  console.log(
    `\nsmall files: coskit ${coskit.toFixed(0)} files/s = ${(coskit / official).toFixed(2)}x official SDK defaults, ${(coskit / officialTuned).toFixed(2)}x with the same files in flight`,
  );
  ours.destroy();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
