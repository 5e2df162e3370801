/** Listing a local folder for upload: files only, POSIX keys, include/exclude globs, symbolic links skipped or followed without looping. */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathFilter } from '../transfer/path-filter.js';

export interface LocalFile {
  /** Absolute or caller-relative path as found. */
  readonly path: string;
  /** Path relative to the folder, with `/` separators. */
  readonly relative: string;
  readonly size: number;
  /** Last modification, ms since the epoch (the folder journal's change check). */
  readonly mtimeMs: number;
}

export interface WalkOptions {
  /** Globs a relative path must match (any of); default: everything. See {@link pathFilter}. */
  readonly include?: readonly string[] | undefined;
  /** Globs that drop a relative path (any of). */
  readonly exclude?: readonly string[] | undefined;
  /**
   * Symbolic links: `follow` uploads what they point to (files, and folders unless that would loop
   * back into a folder being walked); `skip` leaves them out. Default `follow`.
   */
  readonly symlinks?: 'skip' | 'follow' | undefined;
  /** Told of every entry left out other than by the filters: links skipped, broken or looping, unreadable folders, devices. */
  readonly onSkipped?: ((entry: SkippedEntry) => void) | undefined;
}

export interface SkippedEntry {
  readonly path: string;
  readonly relative: string;
  readonly reason:
    | 'symbolic link'
    | 'broken symbolic link'
    | 'symbolic link loop'
    | 'unreadable folder'
    | 'not a regular file';
}

/**
 * Every regular file under `dir`, sorted by relative path, kept by {@link pathFilter} (hidden
 * files are matched like any other). Folders are walked one at a time (memory: one listing of a
 * folder, plus the result); a link to a folder is followed only when it does not lead back into
 * one of the folders above it, so a loop ends.
 */
export async function walkDirectory(dir: string, options: WalkOptions = {}): Promise<LocalFile[]> {
  const keep = pathFilter(options.include ?? [], options.exclude ?? []);
  const follow = (options.symlinks ?? 'follow') === 'follow';
  const files: LocalFile[] = [];
  const skip = (path: string, rel: string, reason: SkippedEntry['reason']) =>
    options.onSkipped?.({ path, relative: rel, reason });
  const addFile = (path: string, rel: string, info: { size: number; mtimeMs: number }) => {
    if (keep(rel)) files.push({ path, relative: rel, size: info.size, mtimeMs: info.mtimeMs });
  };
  const walk = async (
    folder: string,
    base: string,
    above: ReadonlySet<string>,
    top: boolean,
  ): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (top) throw err;
      skip(folder, base, 'unreadable folder');
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const rel = base === '' ? entry.name : `${base}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        if (!follow) {
          if (keep(rel)) skip(path, rel, 'symbolic link');
          continue;
        }
        const info = await stat(path).catch(() => undefined);
        if (!info) skip(path, rel, 'broken symbolic link');
        else if (info.isFile()) addFile(path, rel, info);
        else if (info.isDirectory()) {
          const real = await realpath(path);
          if (above.has(real)) skip(path, rel, 'symbolic link loop');
          else await walk(path, rel, new Set([...above, real]), false);
        } else skip(path, rel, 'not a regular file');
      } else if (entry.isDirectory()) {
        await walk(path, rel, new Set([...above, await realpath(path)]), false);
      } else if (entry.isFile()) {
        const info = await stat(path).catch(() => undefined);
        if (info) addFile(path, rel, info);
      } else if (keep(rel)) skip(path, rel, 'not a regular file');
    }
  };
  await walk(dir, '', new Set([await realpath(dir)]), true);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** The object key of a file: `Prefix` + its relative path (no leading `/`). */
export function keyFor(prefix: string, relativePath: string): string {
  return `${prefix}${relativePath}`.replace(/^\/+/, '');
}
