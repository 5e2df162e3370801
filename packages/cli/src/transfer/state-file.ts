/**
 * Small JSON state files of the CLI's own resumable transfers (ranged downloads, appends): written
 * atomically (temp file, fsync, rename), so a process killed at any instant leaves the previous
 * state or the new one. The upload checkpoints are the SDK's and live beside these.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** `<dir>/<kind>-<hash of the parts>.json`. */
export function statePath(dir: string, kind: string, parts: readonly string[]): string {
  const id = createHash('sha256')
    .update(JSON.stringify(parts.map((p, i) => (i === parts.length - 1 ? resolve(p) : p))))
    .digest('hex')
    .slice(0, 40);
  return join(dir, `${kind}-${id}.json`);
}

export async function readState<T>(path: string, valid: (v: unknown) => v is T): Promise<T | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return valid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function writeState(path: string, data: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(data));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export async function removeState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** At most one write in flight; a burst of saves collapses into one more write of the latest state. */
export class StateWriter {
  #running: Promise<void> | undefined;
  #pending: unknown;
  #hasPending = false;

  constructor(readonly path: string) {}

  save(data: unknown): Promise<void> {
    this.#pending = data;
    this.#hasPending = true;
    this.#running ??= this.#drain();
    return this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#hasPending) {
        const next = this.#pending;
        this.#hasPending = false;
        await writeState(this.path, next);
      }
    } finally {
      this.#running = undefined;
    }
  }
}
