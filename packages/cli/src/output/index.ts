/** Picks the reporter for `--json` / `--quiet` / `--no-progress` / TTY detection. */
import { JsonReporter } from './json-reporter.js';
import { PlainReporter, QuietReporter } from './plain-reporter.js';
import { type Reporter, type ReporterFlags, reporterKind } from './reporter.js';
import { TtyReporter } from './tty-reporter.js';

export function createReporter(
  opts: ReporterFlags,
  out: NodeJS.WriteStream,
  err: NodeJS.WriteStream,
): Reporter {
  switch (reporterKind(opts, err)) {
    case 'json':
      return new JsonReporter(out);
    case 'quiet':
      return new QuietReporter(err);
    case 'tty':
      return new TtyReporter(err, { verbose: opts.verbose ?? false });
    default:
      return new PlainReporter(out, err, opts.verbose ?? false);
  }
}
