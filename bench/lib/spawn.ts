/** Child processes for benchmarks: the coskit server and peers, each on its own port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Spawned {
  readonly child: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts `node <nodeArgs> <script> <args>` and waits for a line containing
 * `listening on http://host:PORT`.
 */
export function spawnListening(script: string, args: string[], nodeArgs: string[] = []): Promise<Spawned> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) {
        resolve({
          child,
          port: Number(m[1]),
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code}): ${out}`)));
  });
}

/** The coskit CLI entry point. */
export const COSKIT_BIN = fileURLToPath(new URL('../../../packages/cli/bin/coskit.js', import.meta.url));

/**
 * Node flags for every coskit server a bench starts, from the environment variable
 * `COSKIT_BENCH_SERVER_NODE_ARGS` (space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to
 * profile the server under the bench's load (Node refuses `--cpu-prof` in `NODE_OPTIONS`).
 */
function serverNodeArgs(): string[] {
  return (process.env.COSKIT_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

/**
 * `coskit serve` on port 0 from `bin` (default this checkout's CLI; a bench's `--before` option
 * passes another build's `packages/cli/bin/coskit.js` to measure before and after in one run),
 * with `extraArgs` after the usual ones (e.g. `['--cors', '*']` for a page's uploads).
 */
export function spawnCoskitServer(
  dataDir: string,
  bin: string = COSKIT_BIN,
  extraArgs: readonly string[] = [],
): Promise<Spawned> {
  return spawnListening(
    bin,
    ['serve', '--port', '0', '--data', dataDir, '--log-level', 'silent', ...extraArgs],
    serverNodeArgs(),
  );
}
