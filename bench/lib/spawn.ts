/** Child processes for benchmarks: the coskit server and peers, each on its own port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Spawned {
  readonly child: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts `node <script> <args>` and waits for a line containing `listening on http://host:PORT`. */
export function spawnListening(script: string, args: string[]): Promise<Spawned> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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

export function spawnCoskitServer(dataDir: string): Promise<Spawned> {
  return spawnListening(COSKIT_BIN, ['serve', '--port', '0', '--data', dataDir, '--log-level', 'silent']);
}
