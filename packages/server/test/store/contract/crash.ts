/**
 * Crash points of a durable backend: each scenario of crash-scenarios.ts runs in a child process
 * that kills itself with SIGKILL at one step of one write; then the store is reopened and
 * recovered, and the state must be the old or the new one (the new one if the write was
 * acknowledged), whole, with every leaked byte freed once recovery and the orphan sweep ran.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import { SCENARIOS } from './crash-scenarios.js';

/** One write of a scenario, interrupted at one step. */
export interface CrashPoint {
  readonly scenario: keyof typeof SCENARIOS;
  readonly operation: string;
  readonly step: string;
}

export interface CrashableBackend {
  readonly name: string;
  /** Script run as `node <childScript> <dataDir> <scenario> <operation> <step>`. */
  readonly childScript: string;
  readonly points: readonly CrashPoint[];
  /** Opens the store left in `dataDir`. */
  open(dataDir: string): Promise<Store>;
  /** Bytes of object and part data stored under `dataDir` (`store`: the store opened on it). */
  footprint(dataDir: string, store: Store): Promise<number>;
  /** Leftovers of unfinished writes that recovery must have removed (e.g. the temp folder). */
  leftovers(dataDir: string): Promise<string[]>;
}

interface ChildOutcome {
  readonly killed: boolean;
  readonly acknowledged: boolean;
  readonly output: string;
}

function runChild(script: string, args: string[]): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`crash child failed (${code}): ${output}`));
      else resolve({ killed: signal === 'SIGKILL', acknowledged: output.includes('acknowledged'), output });
    });
  });
}

export function crashContract(backend: CrashableBackend): void {
  describe(`Store crash points: ${backend.name}`, () => {
    for (const point of backend.points) {
      test(`kill -9 at ${point.step} of ${point.operation} (${point.scenario}): old or new state, whole; nothing leaks`, async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'coskit-crash-point-'));
        try {
          const outcome = await runChild(backend.childScript, [
            dataDir,
            point.scenario,
            point.operation,
            point.step,
          ]);
          assert.ok(outcome.killed, `the write never reached ${point.step}: ${outcome.output}`);
          const store = await backend.open(dataDir);
          try {
            await store.recover();
            assert.deepEqual(await backend.leftovers(dataDir), []);
            const live = await SCENARIOS[point.scenario]!.check(store, outcome.acknowledged);
            await store.sweep(Date.now() + 1000);
            assert.equal(await backend.footprint(dataDir, store), live, 'bytes leaked or lost');
            // The store still works after the crash.
            assert.equal(
              await store.createBucket('after-1250000000', { created: 0, acl: 'private', grants: {} }),
              true,
            );
          } finally {
            await store.close();
          }
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }
  });
}

/** Names of the entries of `dir` (none if it is missing). */
export async function entriesOf(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
