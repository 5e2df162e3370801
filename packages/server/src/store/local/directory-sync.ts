/**
 * fsync of directories with group commit: a rename is durable only once its directory is
 * fsynced, and under many concurrent small PUTs one fsync can cover every rename queued before it.
 */
import { open } from 'node:fs/promises';

interface DirState {
  running: Promise<void> | undefined;
  next: Promise<void> | undefined;
}

export class DirectorySync {
  readonly #dirs = new Map<string, DirState>();

  /** Resolves once an fsync of `dir` that started after this call has completed. */
  sync(dir: string): Promise<void> {
    let state = this.#dirs.get(dir);
    if (!state) {
      state = { running: undefined, next: undefined };
      this.#dirs.set(dir, state);
    }
    const s = state;
    if (!s.running) {
      const running = this.#fsync(dir).finally(() => {
        s.running = undefined;
      });
      s.running = running;
      return running;
    }
    // An fsync is in flight and may have started before our rename: join the next one.
    if (!s.next) {
      s.next = s.running
        .catch(() => {})
        .then(() => {
          s.next = undefined;
          return this.sync(dir);
        });
    }
    return s.next;
  }

  async #fsync(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
