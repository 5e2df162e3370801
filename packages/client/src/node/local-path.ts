/** Where an object lands under a local folder: a key is never trusted as a path. */
import { isAbsolute, join, relative } from 'node:path';

/**
 * The local path of `relativeKey` (the key without the download prefix) under `dir`, or undefined
 * when it names no file there: empty, a `dir/` marker, a `.`/`..`/empty segment, a NUL byte, or
 * anything that would resolve outside `dir`.
 */
export function localPathFor(dir: string, relativeKey: string): string | undefined {
  if (relativeKey === '' || relativeKey.endsWith('/')) return undefined;
  const segments = relativeKey.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) return undefined;
  const path = join(dir, ...segments);
  const rel = relative(dir, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return path;
}
