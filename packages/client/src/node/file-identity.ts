/** What identifies a local file's content for resume: if any of it changed, the upload restarts. */
import type { Stats } from 'node:fs';

export interface FileIdentity {
  readonly size: number;
  /** Modification time, ms (fractional part kept). */
  readonly mtimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

export function identityOf(stats: Stats): FileIdentity {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, dev: stats.dev };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev;
}
