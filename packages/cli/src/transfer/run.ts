/**
 * One transfer command's run: it turns what the SDK reports (a single call, or a folder's events)
 * into the reporter's lines and bars and into the lists and summary the command ends with. Ctrl-C
 * reaches the SDK through `signal`; a job-wide failure (endpoint unreachable, keys refused, no such
 * bucket) before anything succeeded aborts the rest at once: nothing could be done. The SDK runs the
 * transfers (its one worker pool); the CLI has no pool of its own.
 */
import { setMaxListeners } from 'node:events';
import { describeError, errorCodeOf, isFatal } from '../errors.js';
import type { FileDone, FileEvent, Reporter, Summary } from '../output/reporter.js';
import type { Session } from '../session.js';

/** One file (or object) of a run: shown to the user as source → target. */
export interface Job extends FileEvent {}

/** How a finished job went. */
export interface Outcome {
  readonly status: 'uploaded' | 'downloaded' | 'copied' | 'skipped';
  readonly bytesSent: number;
  readonly etag?: string | undefined;
  readonly crc64?: string | undefined;
  readonly resumed?: boolean | undefined;
  readonly reason?: string | undefined;
  /** The size learnt while transferring (a stream), when the job did not know it. */
  readonly size?: number | undefined;
}

export interface JobContext {
  readonly signal: AbortSignal;
  /** Bytes of this file done so far. */
  progress(bytes: number): void;
  /** This file continues an interrupted transfer; `bytes` were moved before (the SDK's onResume). */
  resumed(bytes: number): void;
}

export interface BatchResult {
  readonly done: FileDone[];
  readonly failed: FileDone[];
  /** The job-wide failure that stopped the run, if any. */
  readonly fatal: unknown;
  readonly interrupted: boolean;
  readonly summary: Summary;
}

export class TransferRun {
  readonly #inner = new AbortController();
  readonly #forward = () => this.#inner.abort(this.s.signal.reason);
  readonly #started = performance.now();
  readonly #startedAt = new Map<string, number>();
  readonly #done: FileDone[] = [];
  readonly #failed: FileDone[] = [];
  #succeeded = 0;
  #fatal: unknown;

  constructor(
    readonly s: Session,
    readonly reporter: Reporter,
    readonly action: Summary['action'],
  ) {
    // Every request of every file listens to it.
    setMaxListeners(0, this.#inner.signal);
    if (s.signal.aborted) this.#forward();
    else s.signal.addEventListener('abort', this.#forward, { once: true });
  }

  /** Aborted on Ctrl-C and on a job-wide failure. */
  get signal(): AbortSignal {
    return this.#inner.signal;
  }

  fileStart(job: Job): void {
    this.#startedAt.set(job.source, performance.now());
    this.reporter.fileStart(job);
  }

  #elapsed(source: string): number {
    return Math.round(performance.now() - (this.#startedAt.get(source) ?? performance.now()));
  }

  /** A file transferred or skipped. */
  succeed(job: Job, outcome: Outcome): void {
    this.#succeeded++;
    const entry: FileDone = {
      source: job.source,
      target: job.target,
      ...outcome,
      size: outcome.size ?? job.size,
      ms: this.#elapsed(job.source),
    };
    this.#done.push(entry);
    this.reporter.fileDone(entry);
  }

  /** A file failed: listed with its reason, unless it is the job-wide failure that stops the run. */
  fail(job: Job, err: unknown): void {
    if (this.#inner.signal.aborted) return;
    if (this.#succeeded === 0 && isFatal(err)) {
      this.#fatal = err;
      this.#inner.abort(err);
      return;
    }
    const entry: FileDone = {
      source: job.source,
      target: job.target,
      size: job.size,
      status: 'failed',
      error: describeError(err, this.s.conn),
      code: errorCodeOf(err),
      bytesSent: 0,
      ms: this.#elapsed(job.source),
    };
    this.#failed.push(entry);
    this.reporter.fileDone(entry);
  }

  /** Runs `fn`; a throw after Ctrl-C or after the job-wide failure is that interruption, not an error. */
  async guard(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!this.#inner.signal.aborted) throw err;
    }
  }

  /** The run's lists and summary (stops forwarding Ctrl-C). */
  finish(): BatchResult {
    this.s.signal.removeEventListener('abort', this.#forward);
    const transferred = this.#done.filter((d) => d.status !== 'skipped');
    return {
      done: this.#done,
      failed: this.#failed,
      fatal: this.#fatal,
      interrupted: this.s.signal.aborted,
      summary: {
        action: this.action,
        files: transferred.length,
        bytes: transferred.reduce((sum, d) => sum + d.size, 0),
        bytesSent: transferred.reduce((sum, d) => sum + (d.bytesSent ?? d.size), 0),
        skipped: this.#done.length - transferred.length,
        failed: this.#failed.length,
        ms: Math.round(performance.now() - this.#started),
      },
    };
  }
}

/** One SDK call as a run of one file (a single upload, download, copy, append or stream). */
export async function runOne(
  s: Session,
  reporter: Reporter,
  action: Summary['action'],
  job: Job,
  work: (ctx: JobContext) => Promise<Outcome>,
): Promise<BatchResult> {
  const run = new TransferRun(s, reporter, action);
  reporter.total(1, job.size);
  if (!run.signal.aborted) {
    run.fileStart(job);
    let best = 0;
    try {
      const outcome = await work({
        signal: run.signal,
        progress: (bytes) => {
          if (bytes <= best) return;
          best = bytes;
          reporter.fileProgress(job.source, bytes);
        },
        resumed: (bytes) => reporter.fileResumed(job.source, bytes),
      });
      run.succeed(job, outcome);
    } catch (err) {
      run.fail(job, err);
    }
  }
  return run.finish();
}
