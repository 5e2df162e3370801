/**
 * Peak memory of `uploadFile` with its defaults, whatever the file size: a child process uploads a
 * (sparse) file of `--gib` GiB to `coskit serve` and reports its peak RSS, beside the same process
 * doing nothing (the baseline of Node itself) and the documented bound PartSize × MAXThread.
 *
 *   npm run build && node bench/dist/upload-memory.bench.js [--gib 4]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UPLOAD_DEFAULTS } from '@coskit/client';
import { spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({ options: { gib: { type: 'string', default: '4' } } });
const GiB = 1024 ** 3;
const worker = fileURLToPath(new URL('./lib/upload-worker.js', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-mem-'));
const server = await spawnCoskitServer(join(dir, 'data'));
try {
  const file = join(dir, 'sparse.bin');
  await writeFile(file, '');
  await truncate(file, Number(values.gib) * GiB);
  const idle = JSON.parse(
    execFileSync(process.execPath, [worker, String(server.port), '-', 'idle'], { encoding: 'utf8' }),
  );
  const started = performance.now();
  const run = JSON.parse(
    execFileSync(process.execPath, [worker, String(server.port), file, 'big'], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const bound = UPLOAD_DEFAULTS.partSizeMiB * UPLOAD_DEFAULTS.maxThread;
  console.log(
    `uploadFile of ${values.gib} GiB with defaults (${UPLOAD_DEFAULTS.partSizeMiB} MiB × ${UPLOAD_DEFAULTS.maxThread}) in ${seconds.toFixed(1)} s`,
  );
  console.log(`peak RSS while uploading: ${(run.maxRssKiB / 1024).toFixed(0)} MiB`);
  console.log(`peak RSS of the same process idle: ${(idle.maxRssKiB / 1024).toFixed(0)} MiB`);
  console.log(
    `\nmemory: upload adds ${((run.maxRssKiB - idle.maxRssKiB) / 1024).toFixed(0)} MiB over idle for ${values.gib} GiB; ` +
      `bound PartSize × MAXThread = ${bound} MiB (${((run.maxRssKiB - idle.maxRssKiB) / 1024 / bound).toFixed(2)}x the bound)`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
