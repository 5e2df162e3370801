/**
 * How a transfer command reports: one interface, four renderings — progress bars on a TTY, one
 * plain line per file otherwise, JSON lines with `--json`, and failures only with `--quiet`.
 */
import { formatBytes, formatDuration, formatRate } from './units.js';

export interface FileEvent {
  /** Local path or COS URL the bytes come from. */
  readonly source: string;
  /** Where they go. */
  readonly target: string;
  readonly size: number;
}

export type FileStatus = 'uploaded' | 'downloaded' | 'copied' | 'skipped' | 'failed';

export interface FileDone extends FileEvent {
  readonly status: FileStatus;
  readonly etag?: string | undefined;
  readonly crc64?: string | undefined;
  /** Why it failed (failed files only). */
  readonly error?: string | undefined;
  /** Stable code of the failure (`NoSuchKey`, `COS_PART_FAILED`, …), when known. */
  readonly code?: string | undefined;
  /** Bytes this run moved over the network (less than `size` when it resumed). */
  readonly bytesSent?: number | undefined;
  /** True when an earlier, interrupted run's parts were reused. */
  readonly resumed?: boolean | undefined;
  /** Why it was skipped (skipped files only). */
  readonly reason?: string | undefined;
  /** Milliseconds the file took. */
  readonly ms: number;
}

export interface Summary {
  /** What the transferred files went through. */
  readonly action: 'uploaded' | 'downloaded' | 'copied';
  /** Files transferred (not skipped, not failed) and their bytes. */
  readonly files: number;
  readonly bytes: number;
  /** Bytes moved over the network by this run. */
  readonly bytesSent: number;
  readonly skipped: number;
  readonly failed: number;
  /** Remote objects deleted (sync --delete). */
  readonly deleted?: number | undefined;
  readonly ms: number;
}

export interface Reporter {
  /** The whole job's size is known. */
  total(files: number, bytes: number): void;
  fileStart(e: FileEvent): void;
  /** Bytes of `source` done so far (monotonic). */
  fileProgress(source: string, bytes: number): void;
  fileDone(e: FileDone): void;
  /** A remote object was deleted (sync --delete). */
  removed(target: string): void;
  /** A line of information (stderr on TTY/plain; a JSON `message` event with --json). */
  info(text: string): void;
  /** Final summary, with every failure listed again; the reporter stops drawing. */
  finish(summary: Summary, failures: readonly FileDone[]): void;
  /** Stops drawing without a summary (interrupted, or a job-wide failure). */
  stop(): void;
}

export type ReporterKind = 'tty' | 'plain' | 'json' | 'quiet';

/** `--json` wins, then `--quiet`, then TTY detection (of the stream the bars would go to). */
export function reporterKind(
  opts: { json?: boolean; quiet?: boolean },
  stream: NodeJS.WriteStream,
): ReporterKind {
  if (opts.json) return 'json';
  if (opts.quiet) return 'quiet';
  return stream.isTTY ? 'tty' : 'plain';
}

/** `uploaded: a.txt -> cos://b/a.txt (1.00 MiB, 12.0 MiB/s)` and its failure / skip forms. */
export function fileLine(e: FileDone): string {
  if (e.status === 'failed') return `failed: ${e.source} -> ${e.target}: ${e.error ?? 'unknown error'}`;
  if (e.status === 'skipped')
    return `skipped: ${e.source} -> ${e.target} (${formatBytes(e.size)}${e.reason ? `, ${e.reason}` : ''})`;
  const sent = e.bytesSent ?? e.size;
  // A rate over a few KiB says more about latency than throughput.
  const rate = e.ms > 0 && sent >= 1024 * 1024 ? `, ${formatRate((sent * 1000) / e.ms)}` : '';
  const resumed = e.resumed ? `, resumed: ${formatBytes(sent)} sent` : '';
  return `${e.status}: ${e.source} -> ${e.target} (${formatBytes(e.size)}${rate}${resumed})`;
}

/** `done: 3 uploaded (64.0 MiB), 1 skipped, 0 failed in 3.1 s; 40.0 MiB sent (12.9 MiB/s)`. */
export function summaryLine(s: Summary): string {
  const moved =
    s.action === 'downloaded' ? 'received' : s.action === 'copied' ? 'copied by the server' : 'sent';
  const rate = s.ms > 0 && s.bytesSent > 0 ? ` (${formatRate((s.bytesSent * 1000) / s.ms)})` : '';
  const deleted = s.deleted !== undefined ? `, ${s.deleted} deleted` : '';
  return `done: ${s.files} ${s.action} (${formatBytes(s.bytes)}), ${s.skipped} skipped, ${s.failed} failed${deleted} in ${formatDuration(s.ms)}; ${formatBytes(s.bytesSent)} ${moved}${rate}`;
}

/** The closing list of failures, one per line (not for a single file: its line was just printed). */
export function failureList(failures: readonly FileDone[], s: Summary): string {
  if (failures.length === 0 || s.files + s.skipped + s.failed <= 1) return '';
  const lines = failures.map((f) => `  ${f.source} -> ${f.target}: ${f.error ?? 'unknown error'}`);
  return `${failures.length} file(s) failed:\n${lines.join('\n')}\n`;
}
