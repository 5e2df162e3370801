/**
 * Runs a list of transfers that the SDK makes one call each (downloads, a single upload, an
 * append, standard input): `files` at a time, reporting each, collecting failures with their
 * reasons. A job-wide failure (endpoint unreachable, keys refused, no such bucket) before anything
 * succeeded stops the whole batch at once: nothing could be done. Folder uploads go through the
 * SDK's `uploadDirectory` instead (upload.ts).
 */
import { setMaxListeners } from 'node:events';
import { errorCodeOf, isFatal } from '../errors.js';
import type { FileDone, Reporter, Summary } from '../output/reporter.js';
import { forEachLimit } from './pool.js';

export interface Job {
  /** Shown to the user: local path or COS URL. */
  readonly source: string;
  readonly target: string;
  readonly size: number;
}

export interface Outcome {
  readonly status: 'uploaded' | 'downloaded' | 'skipped';
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
}

export interface BatchOptions {
  readonly action: 'uploaded' | 'downloaded';
  readonly files: number;
  readonly signal: AbortSignal;
  readonly reporter: Reporter;
  /** Connection for messages. */
  readonly describe: (err: unknown) => string;
}

export interface BatchResult {
  readonly done: FileDone[];
  readonly failed: FileDone[];
  /** The job-wide failure that stopped the batch, if any. */
  readonly fatal: unknown;
  readonly interrupted: boolean;
  readonly summary: Summary;
}

export async function runBatch<J extends Job>(
  jobs: readonly J[],
  options: BatchOptions,
  work: (job: J, ctx: JobContext) => Promise<Outcome>,
): Promise<BatchResult> {
  const { reporter } = options;
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const forward = () => inner.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener('abort', forward, { once: true });
  const started = performance.now();
  const done: FileDone[] = [];
  const failed: FileDone[] = [];
  let succeeded = 0;
  let fatal: unknown;
  reporter.total(
    jobs.length,
    jobs.reduce((sum, j) => sum + j.size, 0),
  );

  const one = async (job: J): Promise<void> => {
    const t0 = performance.now();
    try {
      if (inner.signal.aborted) return;
      reporter.fileStart(job);
      let best = 0;
      const outcome = await work(job, {
        signal: inner.signal,
        progress: (bytes) => {
          if (bytes <= best) return;
          best = bytes;
          reporter.fileProgress(job.source, bytes);
        },
      });
      succeeded++;
      const entry: FileDone = {
        source: job.source,
        target: job.target,
        ...outcome,
        size: outcome.size ?? job.size,
        ms: Math.round(performance.now() - t0),
      };
      done.push(entry);
      reporter.fileDone(entry);
    } catch (err) {
      if (inner.signal.aborted) return;
      if (succeeded === 0 && isFatal(err)) {
        fatal = err;
        inner.abort(err);
        return;
      }
      const entry: FileDone = {
        source: job.source,
        target: job.target,
        size: job.size,
        status: 'failed',
        error: options.describe(err),
        code: errorCodeOf(err),
        bytesSent: 0,
        ms: Math.round(performance.now() - t0),
      };
      failed.push(entry);
      reporter.fileDone(entry);
    }
  };

  try {
    await forEachLimit(jobs, options.files, inner.signal, one);
  } finally {
    options.signal.removeEventListener('abort', forward);
  }
  const transferred = done.filter((d) => d.status !== 'skipped');
  const summary: Summary = {
    action: options.action,
    files: transferred.length,
    bytes: transferred.reduce((s, d) => s + d.size, 0),
    bytesSent: transferred.reduce((s, d) => s + (d.bytesSent ?? d.size), 0),
    skipped: done.length - transferred.length,
    failed: failed.length,
    ms: Math.round(performance.now() - started),
  };
  return { done, failed, fatal, interrupted: options.signal.aborted, summary };
}
