/** Listing a local folder for upload: files only, POSIX keys, include/exclude globs. */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathFilter } from '../transfer/path-filter.js';

export interface LocalFile {
  /** Absolute or caller-relative path as found. */
  readonly path: string;
  /** Path relative to the folder, with `/` separators. */
  readonly relative: string;
  readonly size: number;
}

export interface WalkOptions {
  /** Globs a relative path must match (any of); default: everything. See {@link pathFilter}. */
  readonly include?: readonly string[] | undefined;
  /** Globs that drop a relative path (any of). */
  readonly exclude?: readonly string[] | undefined;
}

/**
 * Every regular file under `dir` (following symbolic links to files), sorted by relative path,
 * kept by {@link pathFilter} (hidden files are matched like any other).
 */
export async function walkDirectory(dir: string, options: WalkOptions = {}): Promise<LocalFile[]> {
  const keep = pathFilter(options.include ?? [], options.exclude ?? []);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: LocalFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    // `parentPath` is Node ≥ 20.12; earlier 20.x name it `path`.
    const parent = entry.parentPath ?? (entry as unknown as { path: string }).path;
    const path = join(parent, entry.name);
    const rel = relative(dir, path).split(sep).join('/');
    if (!keep(rel)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    files.push({ path, relative: rel, size: info.size });
  }
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** The object key of a file: `Prefix` + its relative path (no leading `/`). */
export function keyFor(prefix: string, relativePath: string): string {
  return `${prefix}${relativePath}`.replace(/^\/+/, '');
}
