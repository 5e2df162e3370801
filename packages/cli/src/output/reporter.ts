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
  /**
   * `source` continues an interrupted run: `reusedBytes` of its `size` were moved before and will
   * not move again (they count towards its progress, never towards the speed).
   */
  fileResumed(source: string, reusedBytes: number): void;
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

/** How much a transfer command prints (`--json`, `-q`, `-v`, `--no-progress`). */
export interface ReporterFlags {
  json?: boolean;
  quiet?: boolean;
  /** List skipped files too (they are only counted otherwise). */
  verbose?: boolean;
  /** False with `--no-progress`: plain lines even on a terminal. */
  progress?: boolean;
}

/** `--json` wins, then `--quiet`, then `--no-progress`, then TTY detection (of the stream the bars would go to). */
export function reporterKind(opts: ReporterFlags, stream: NodeJS.WriteStream): ReporterKind {
  if (opts.json) return 'json';
  if (opts.quiet) return 'quiet';
  if (opts.progress === false) return 'plain';
  return stream.isTTY ? 'tty' : 'plain';
}

/** `resuming: big.iso: 512 MiB of 1.50 GiB already uploaded` (downloaded, when the target is local). */
export function resumeLine(e: FileEvent, reused: number): string {
  const verb = e.target.startsWith('cos://') ? 'uploaded' : 'downloaded';
  return `resuming: ${e.source}: ${formatBytes(reused)} of ${formatBytes(e.size)} already ${verb}`;
}

/** The pieces of a finished file's line: `${status}: ${source} -> ${target}${tail}`. */
export interface LineParts {
  readonly status: string;
  readonly source: string;
  readonly target: string;
  /** ` (1.00 MiB, 12.0 MiB/s)` or `: why it failed`. */
  readonly tail: string;
  /** The tail without the file's own speed, for narrow terminals. */
  readonly shortTail: string;
}

export function fileLineParts(e: FileDone): LineParts {
  const base = { status: e.status, source: e.source, target: e.target };
  if (e.status === 'failed') {
    const tail = `: ${e.error ?? 'unknown error'}`;
    return { ...base, tail, shortTail: tail };
  }
  if (e.status === 'skipped') {
    const tail = ` (${formatBytes(e.size)}${e.reason ? `, ${e.reason}` : ''})`;
    return { ...base, tail, shortTail: ` (${formatBytes(e.size)})` };
  }
  const moved = e.bytesSent ?? e.size;
  // A rate over a few KiB says more about latency than throughput.
  const rate = e.ms > 0 && moved >= 1024 * 1024 ? `, ${formatRate((moved * 1000) / e.ms)}` : '';
  const verb = e.status === 'downloaded' ? 'received' : 'sent';
  const resumed = e.resumed ? `, resumed: ${formatBytes(moved)} ${verb}` : '';
  return {
    ...base,
    tail: ` (${formatBytes(e.size)}${rate}${resumed})`,
    shortTail: ` (${formatBytes(e.size)}${resumed})`,
  };
}

/** `uploaded: a.txt -> cos://b/a.txt (1.00 MiB, 12.0 MiB/s)` and its failure / skip forms. */
export function fileLine(e: FileDone): string {
  const p = fileLineParts(e);
  return `${p.status}: ${p.source} -> ${p.target}${p.tail}`;
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
