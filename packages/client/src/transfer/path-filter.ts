/**
 * The one meaning of `Include` / `Exclude` globs (picomatch syntax) on `/`-separated relative
 * paths, used by `uploadDirectory` and by the CLI's `--include` / `--exclude`. A pattern with a `/`
 * is matched against the whole relative path (`logs/**`, `src/*.ts`); a pattern without one is
 * matched against every name along the path, so `*.log` leaves out log files at any depth and
 * `node_modules` a folder of that name anywhere. Hidden files are matched like any other.
 */
import picomatch from 'picomatch';

/** True when a relative path is kept. */
export type PathFilter = (relativePath: string) => boolean;

function matcher(patterns: readonly string[]): PathFilter | undefined {
  if (patterns.length === 0) return undefined;
  const tests = patterns.map((pattern) => {
    const p = pattern.replace(/^\.\//, '').replace(/\/$/, '/**');
    const isMatch = picomatch(p, { dot: true });
    if (p.includes('/')) return isMatch;
    return (path: string) => path.split('/').some((segment) => isMatch(segment));
  });
  return (path) => tests.some((t) => t(path));
}

/** Keeps a path when it matches an include (if any are given) and no exclude. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const inc = matcher(include);
  const exc = matcher(exclude);
  return (path) => (inc === undefined || inc(path)) && !exc?.(path);
}
