/**
 * What every crash test of the server does around its own writes and checks: a temp data dir, the
 * server in a child process (`child-server.ts`, so a test can kill -9 it), official clients for it,
 * the kill once enough writes are acknowledged, a restart to check against, and what the store
 * left on disk. The writes and every assertion stay in the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_CREDENTIAL } from '../../src/index.js';
import type { OfficialCos } from './harness.js';

const require = createRequire(import.meta.url);
const COS = require('cos-nodejs-sdk-v5') as new (o: Record<string, unknown>) => OfficialCos;

export interface ChildServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/** Starts the server on `dataDir` in a child process and waits for its ready line (15 s at most). */
export function spawnServer(dataDir: string): Promise<ChildServer> {
  const script = fileURLToPath(new URL('./child-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

/** Stops a child server with SIGTERM (a clean stop) and waits for it to exit. */
export async function stopServer(server: ChildServer): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

/**
 * The official SDK for a child server: no retries (a write cut by the kill must fail, not be sent
 * again to the restarted server) and a 10 s timeout.
 */
export function client(port: number): OfficialCos {
  return new COS({
    SecretId: DEVELOPMENT_CREDENTIAL.secretId,
    SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    Protocol: 'http:',
    Ip: `127.0.0.1:${port}`,
    ChunkRetryTimes: 0,
    Timeout: 10_000,
  });
}

/** Runs `run` with a fresh temp data dir (`<tmp>/<prefix>…`), removed afterwards whatever happens. */
export async function withDataDir(prefix: string, run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** What {@link killWhenAcknowledged} waits for and stops. */
export interface KillPlan {
  /** How many writes are acknowledged so far. */
  readonly acked: () => number;
  /** Kill once `acked()` reaches this (or after `waitMs`: the test then asserts on the count). */
  readonly atLeast: number;
  /** How long to wait for `atLeast` acknowledgements at most. Default 30 s. */
  readonly waitMs?: number;
  /** Then wait a random moment of up to this many ms, so the kill lands anywhere in a write. */
  readonly jitterMs: number;
  /** Called right after the kill: the write loops stop starting writes. */
  readonly stop: () => void;
  /** The write loops; each ends when a write fails (the kill) or it sees the stop. */
  readonly loops: readonly Promise<unknown>[];
}

/**
 * kill -9 at a random moment once a few writes are acknowledged, however loaded the machine is (a
 * fixed delay acknowledged almost nothing when other suites ran beside a crash test); resolves when
 * the process is gone and every write loop has ended.
 */
export async function killWhenAcknowledged(server: ChildServer, plan: KillPlan): Promise<void> {
  for (
    const until = Date.now() + (plan.waitMs ?? 30_000);
    plan.acked() < plan.atLeast && Date.now() < until;
  )
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, Math.random() * plan.jitterMs));
  server.child.kill('SIGKILL');
  plan.stop();
  await server.exited;
  await Promise.all(plan.loops);
}

/**
 * Starts the server again on `dataDir` (recovery runs before it listens), runs `check` with a client
 * of it, and stops it cleanly afterwards, also when a check fails.
 */
export async function withRestarted(
  dataDir: string,
  check: (cos: OfficialCos, server: ChildServer) => Promise<void>,
): Promise<void> {
  const server = await spawnServer(dataDir);
  try {
    await check(client(server.port), server);
  } finally {
    await stopServer(server);
  }
}

/** The files in `<dataDir>/tmp` after one more clean start and stop (recovery clears them). */
export async function tempFilesAfterCleanRestart(dataDir: string): Promise<string[]> {
  await withRestarted(dataDir, async () => {});
  return readdir(join(dataDir, 'tmp'));
}

/** How many blob files the store holds on disk. */
export async function blobFiles(dataDir: string): Promise<number> {
  const entries = await readdir(join(dataDir, 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}
