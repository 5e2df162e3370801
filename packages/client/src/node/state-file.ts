/**
 * Small JSON state files (upload checkpoints, the CLI's download and append states), written
 * atomically and durably: temp file, fsync, rename, directory fsync. A process killed at any
 * instant leaves the previous complete file or the new one, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Reads and validates a state file; undefined when absent, unreadable or invalid. */
export async function readJsonFile<T>(
  path: string,
  valid: (value: unknown) => value is T,
): Promise<T | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return valid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `data` as JSON to `path` atomically and durably. */
export async function writeJsonFileAtomic(path: string, data: unknown): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(data));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Serialises saves of one state file: at most one write in flight, and a burst of updates
 * collapses into one more write carrying the latest state.
 */
export class JsonFileWriter<T> {
  #running: Promise<void> | undefined;
  #pending: { data: T } | undefined;

  constructor(readonly path: string) {}

  /** Schedules a save of `data`; resolves once a save that includes it is durable. */
  save(data: T): Promise<void> {
    this.#pending = { data };
    this.#running ??= this.#drain();
    return this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending) {
        const next = this.#pending.data;
        this.#pending = undefined;
        await writeJsonFileAtomic(this.path, next);
      }
    } finally {
      this.#running = undefined;
    }
  }
}
