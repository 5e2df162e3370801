/** Local files: a folder's listing for upload, a file's CRC-64, and safe paths for downloads. */
import { open, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Crc64 } from '@coskit/protocol';
import type { PathFilter } from './filters.js';

export interface LocalFile {
  /** Path as found (under the folder given). */
  readonly path: string;
  /** Relative to the folder, `/`-separated. */
  readonly relative: string;
  readonly size: number;
}

/** Every regular file under `dir` (following links to files), filtered, sorted by relative path. */
export async function walkLocal(dir: string, keep: PathFilter): Promise<LocalFile[]> {
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

/** CRC-64 (decimal, as `x-cos-hash-crc64ecma`) of a local file, streamed. */
export async function fileCrc64(path: string, signal?: AbortSignal): Promise<string> {
  const file = await open(path, 'r');
  try {
    const crc = new Crc64();
    for await (const chunk of file.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) {
      signal?.throwIfAborted();
      crc.update(chunk as Buffer);
    }
    return crc.digestDecimal();
  } finally {
    await file.close();
  }
}

/**
 * The local path of an object under a download folder, or undefined when the key would escape the
 * folder (`..`, absolute) or names no file (a `dir/` marker, an empty name).
 */
export function safeLocalPath(dir: string, relativeKey: string): string | undefined {
  if (relativeKey === '' || relativeKey.endsWith('/')) return undefined;
  const segments = relativeKey.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) return undefined;
  const path = join(dir, ...segments);
  const rel = relative(dir, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return path;
}
