/**
 * Small JSON state files (upload checkpoints, the CLI's download and append states), written
 * atomically and durably: temp file, fsync, rename, directory fsync. A process killed at any
 * instant leaves the previous complete file or the new one, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

/** A temp file older than this is a leftover of a killed writer (a write takes milliseconds). */
const STALE_TEMP_MS = 10_000;

/**
 * Removes what a process killed mid-write left of `path`'s writes: its `<name>.<random>.tmp`
 * siblings older than 10 s (a younger one may be another writer's, about to be renamed).
 */
export async function removeStaleTemps(path: string, now: number = Date.now()): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temp = join(dir, name);
    const info = await stat(temp).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(temp, { force: true });
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
