/**
 * How a transfer command reports: one interface, three renderings — progress bars on a TTY,
 * one plain line per file otherwise, JSON lines with `--json` — plus `--quiet`.
 */

export interface FileEvent {
  /** Local path or COS URL the bytes come from. */
  readonly source: string;
  /** Where they go. */
  readonly target: string;
  readonly size: number;
}

export interface FileDone extends FileEvent {
  readonly status: 'uploaded' | 'downloaded' | 'skipped' | 'failed';
  readonly etag?: string | undefined;
  readonly crc64?: string | undefined;
  readonly error?: string | undefined;
  /** Milliseconds the file took. */
  readonly ms: number;
}

export interface Reporter {
  /** The whole job's size is known (or grows as files are found). */
  total(files: number, bytes: number): void;
  fileStart(e: FileEvent): void;
  /** Bytes of `source` moved so far (monotonic). */
  fileProgress(source: string, bytes: number): void;
  fileDone(e: FileDone): void;
  /** A line of information (stderr on TTY/plain; a JSON `message` event with --json). */
  info(text: string): void;
  /** Final summary; the reporter stops drawing. */
  finish(summary: { files: number; bytes: number; failed: number; skipped: number; ms: number }): void;
}

export type ReporterKind = 'tty' | 'plain' | 'json' | 'quiet';

/** `--json` wins, then `--quiet`, then TTY detection. */
export function reporterKind(opts: { json?: boolean; quiet?: boolean }, stream: NodeJS.WriteStream): ReporterKind {
  if (opts.json) return 'json';
  if (opts.quiet) return 'quiet';
  return stream.isTTY ? 'tty' : 'plain';
}
