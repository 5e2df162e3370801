/**
 * The journal of one folder upload (`uploadDirectory` with `Resume`): one JSON line per file the
 * server has acknowledged, appended as each finishes, so that running the same upload again after
 * Ctrl-C, a crash or a failure skips those files without a request. A file counts as done only
 * while its size and mtime are the journal's; a torn last line (the process died mid-write) is
 * ignored, costing one re-upload. The journal is removed once a run uploads everything.
 *
 * Lives beside the checkpoints: `<CheckpointDir>/folder-<sha256 of host, bucket, prefix, folder,
 * filters>.jsonl`. Memory: one entry per finished file (its relative path and a few numbers).
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export interface JournalEntry {
  /** Path relative to the folder, `/`-separated. */
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly key: string;
  readonly etag: string;
}

export function folderJournalPath(
  dir: string,
  what: {
    host: string;
    bucket: string;
    prefix: string;
    localDir: string;
    include?: readonly string[];
    exclude?: readonly string[];
  },
): string {
  const id = createHash('sha256')
    .update(
      JSON.stringify([
        what.host,
        what.bucket,
        what.prefix,
        resolve(what.localDir),
        what.include ?? [],
        what.exclude ?? [],
      ]),
    )
    .digest('hex')
    .slice(0, 40);
  return join(dir, `folder-${id}.jsonl`);
}

export class FolderJournal {
  readonly #done = new Map<string, JournalEntry>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** The journal at `path` (empty when there is none yet). */
  static async open(path: string): Promise<FolderJournal> {
    const journal = new FolderJournal(path);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const e = JSON.parse(line) as JournalEntry;
        if (typeof e.rel === 'string' && typeof e.size === 'number' && typeof e.mtimeMs === 'number')
          journal.#done.set(e.rel, e);
      } catch {
        // A line cut short by a crash: that file is uploaded again.
      }
    }
    return journal;
  }

  /** True when `file` finished in an earlier run and has not changed since. */
  has(file: { relative: string; size: number; mtimeMs: number }, key: string): boolean {
    const e = this.#done.get(file.relative);
    return e !== undefined && e.size === file.size && e.mtimeMs === file.mtimeMs && e.key === key;
  }

  /** Records a file the server acknowledged (appends are serialised: one line each, in order). */
  record(entry: JournalEntry): Promise<void> {
    this.#done.set(entry.rel, entry);
    this.#writes = this.#writes.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    });
    return this.#writes;
  }

  /** Waits for the appends, then deletes the journal (the whole folder is uploaded). */
  async remove(): Promise<void> {
    await this.#writes.catch(() => {});
    await rm(this.path, { force: true });
  }

  /** Waits for the appends in flight. */
  async flush(): Promise<void> {
    await this.#writes;
  }
}
