/**
 * Start-up cost of the `coskit` command: wall time and peak RSS of `coskit --version` (and of
 * `coskit ls --help`, a command that parses and exits), each a fresh `node` process, `--runs` times.
 * What it shows: whether a command pays for loading modules it does not use (the server's LMDB and
 * pino). Medians and best of the runs; a shared machine swings, compare within one run.
 *
 *   npm run build && node bench/dist/cli-startup.bench.js [--runs 20]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COSKIT_BIN } from './lib/spawn.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const PRELOAD = fileURLToPath(new URL('./lib/report-peak-rss.js', import.meta.url));

interface Sample {
  readonly ms: number;
  readonly rssKiB: number;
}

function once(args: readonly string[]): Sample {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', PRELOAD, COSKIT_BIN, ...args], { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`coskit ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /coskit-bench peak-rss-kib (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak RSS line from the child: ${r.stderr}`);
  return { ms, rssKiB: Number(m[1]) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function measure(label: string, args: readonly string[]): void {
  once(args); // warm the page cache
  const samples = Array.from({ length: runs }, () => once(args));
  const ms = samples.map((s) => s.ms);
  const mib = samples.map((s) => s.rssKiB / 1024);
  console.log(
    `${label.padEnd(22)} wall median ${median(ms).toFixed(0).padStart(4)} ms (best ${Math.min(...ms).toFixed(0)})   peak RSS median ${median(mib).toFixed(1).padStart(5)} MiB (best ${Math.min(...mib).toFixed(1)})`,
  );
}

console.log(`${runs} runs each, node ${process.version}`);
measure('coskit --version', ['--version']);
measure('coskit ls --help', ['ls', '--help']);
