/** Where a downloaded object goes under a local folder. */
import { isAbsolute, join, relative } from 'node:path';

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
