/** Listing a local folder for upload: files only, POSIX keys, include/exclude globs. */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';

export interface LocalFile {
  /** Absolute or caller-relative path as found. */
  readonly path: string;
  /** Path relative to the folder, with `/` separators. */
  readonly relative: string;
  readonly size: number;
}

export interface WalkOptions {
  /** Globs a relative path must match (any of); default: everything. */
  readonly include?: readonly string[] | undefined;
  /** Globs that drop a relative path (any of). */
  readonly exclude?: readonly string[] | undefined;
}

/**
 * Every regular file under `dir` (following symbolic links to files), sorted by relative path.
 * Globs use picomatch syntax (`**\/*.log`, `*.{jpg,png}`), matched against the `/`-separated path;
 * `dot: true` so hidden files are included unless excluded.
 */
export async function walkDirectory(dir: string, options: WalkOptions = {}): Promise<LocalFile[]> {
  const include = options.include?.length ? picomatch([...options.include], { dot: true }) : undefined;
  const exclude = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : undefined;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: LocalFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path).split(sep).join('/');
    if (include && !include(rel)) continue;
    if (exclude?.(rel)) continue;
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
