/**
 * Uploads through the SDK: a folder with `uploadDirectory` (its walk, Include/Exclude, skip check,
 * files in flight and shared part limit), its events turned into the reporter's lines and bars; a
 * single file with `uploadFile`. A job-wide failure (endpoint unreachable, keys refused, no such
 * bucket) before anything succeeded stops the whole folder at once.
 */

import { setMaxListeners } from 'node:events';
import type { UploadDirectoryParams, UploadFileParams } from '@coskit/client';
import { contentTypeFromExtension } from '@coskit/protocol';
import { formatCosUrl } from '../cos-url.js';
import { describeError, errorCodeOf, isFatal } from '../errors.js';
import type { TransferSettings } from '../options/transfer.js';
import type { FileDone, Reporter } from '../output/reporter.js';
import type { Session } from '../session.js';
import type { BatchResult, JobContext, Outcome } from './batch.js';

const SKIP_REASON = 'same size and CRC-64';

/** The object parameters every upload of a command carries, from its flags. */
function objectParams(settings: TransferSettings) {
  return {
    PartSize: settings.partSizeMiB,
    MAXThread: settings.threads,
    EnableCRC: settings.crc64,
    CheckpointDir: settings.checkpointDir,
    ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
    ...(settings.storageClass ? { StorageClass: settings.storageClass } : {}),
    ...(settings.acl ? { ACL: settings.acl } : {}),
    ...(settings.metadata ? { Metadata: settings.metadata } : {}),
    ...(settings.contentType ? { ContentType: settings.contentType } : {}),
  };
}

/** One local file to one object (`cp FILE cos://…`), as a batch job. */
export async function uploadOne(
  s: Session,
  file: { path: string; bucket: string; key: string; size: number },
  settings: TransferSettings,
  ctx: JobContext,
): Promise<Outcome> {
  const contentType = settings.contentType ?? contentTypeFromExtension(file.path);
  const params: UploadFileParams = {
    ...objectParams(settings),
    Bucket: file.bucket,
    Key: file.key,
    LocalFilePath: file.path,
    SkipExisting: settings.skipExisting,
    ProgressInterval: 100,
    signal: ctx.signal,
    onProgress: (consumed) => ctx.progress(consumed),
    ...(contentType ? { ContentType: contentType } : {}),
  };
  const r = await s.client.uploadFile(params);
  if (r.skipped) return { status: 'skipped', bytesSent: 0, reason: SKIP_REASON };
  return {
    status: 'uploaded',
    bytesSent: r.bytesSent,
    etag: r.ETag,
    crc64: r['x-cos-hash-crc64ecma'],
    resumed: r.bytesSent < file.size,
  };
}

export interface FolderUpload {
  readonly dir: string;
  readonly bucket: string;
  readonly prefix: string;
  /** Compare with each object first and skip equal ones (--skip-existing, sync). */
  readonly skipExisting: boolean;
  /** Report what would go, send nothing (sync --dry-run). */
  readonly dryRun?: (file: { path: string; target: string; reason: string }) => void;
}

export interface FolderResult extends BatchResult {
  /** Every key the folder maps to (uploaded, skipped, failed or planned). */
  readonly keys: ReadonlySet<string>;
}

/** A folder to a prefix with `uploadDirectory`, reported file by file. */
export async function uploadFolder(
  s: Session,
  plan: FolderUpload,
  settings: TransferSettings,
  reporter: Reporter,
): Promise<FolderResult> {
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const forward = () => inner.abort(s.signal.reason);
  if (s.signal.aborted) forward();
  else s.signal.addEventListener('abort', forward, { once: true });
  const started = performance.now();
  const startedAt = new Map<string, number>();
  const done: FileDone[] = [];
  const failed: FileDone[] = [];
  const keys = new Set<string>();
  let succeeded = 0;
  let fatal: unknown;
  const target = (key: string) => formatCosUrl(plan.bucket, key);
  const elapsed = (path: string) =>
    Math.round(performance.now() - (startedAt.get(path) ?? performance.now()));
  const params: UploadDirectoryParams = {
    ...objectParams(settings),
    Bucket: plan.bucket,
    LocalDir: plan.dir,
    Prefix: plan.prefix,
    FileThreads: settings.files,
    Include: [...settings.include],
    Exclude: [...settings.exclude],
    SkipExisting: plan.skipExisting,
    DryRun: plan.dryRun !== undefined,
    ProgressInterval: 100,
    ContentTypeOf: contentTypeFromExtension,
    signal: inner.signal,
    onStart: ({ files, bytes }) => {
      reporter.total(files, bytes);
      if (files === 0 && !plan.dryRun) reporter.info(`no files to upload under "${plan.dir}"`);
    },
    onFileStart: (f) => {
      startedAt.set(f.path, performance.now());
      reporter.fileStart({ source: f.path, target: target(f.key), size: f.size });
    },
    onFileProgress: (f, bytes) => reporter.fileProgress(f.path, bytes),
    onFileFinish: (error, f) => {
      keys.add(f.key);
      const base = { source: f.path, target: target(f.key), size: f.size, ms: elapsed(f.path) };
      if (f.status === 'would-upload') {
        plan.dryRun?.({ path: f.path, target: base.target, reason: f.reason ?? 'new' });
        return;
      }
      if (f.status === 'skipped') {
        succeeded++;
        const entry: FileDone = { ...base, status: 'skipped', bytesSent: 0, reason: SKIP_REASON };
        done.push(entry);
        if (!plan.dryRun) reporter.fileDone(entry);
        return;
      }
      if (f.status === 'uploaded') {
        succeeded++;
        const r = f.result;
        const entry: FileDone = {
          ...base,
          status: 'uploaded',
          bytesSent: r?.bytesSent ?? f.size,
          etag: r?.ETag,
          crc64: r?.['x-cos-hash-crc64ecma'],
          resumed: (r?.bytesSent ?? f.size) < f.size,
        };
        done.push(entry);
        reporter.fileDone(entry);
        return;
      }
      if (inner.signal.aborted) return;
      if (succeeded === 0 && isFatal(error)) {
        fatal = error;
        inner.abort(error);
        return;
      }
      const entry: FileDone = {
        ...base,
        status: 'failed',
        error: describeError(error, s.conn),
        code: errorCodeOf(error),
        bytesSent: 0,
      };
      failed.push(entry);
      reporter.fileDone(entry);
    },
  };
  try {
    await s.client.uploadDirectory(params);
  } catch (err) {
    // Cancelled by Ctrl-C or by the job-wide failure: both are reported by the caller.
    if (!inner.signal.aborted) throw err;
  } finally {
    s.signal.removeEventListener('abort', forward);
  }
  const transferred = done.filter((d) => d.status !== 'skipped');
  return {
    done,
    failed,
    fatal,
    keys,
    interrupted: s.signal.aborted,
    summary: {
      action: 'uploaded',
      files: transferred.length,
      bytes: transferred.reduce((sum, d) => sum + d.size, 0),
      bytesSent: transferred.reduce((sum, d) => sum + (d.bytesSent ?? d.size), 0),
      skipped: done.length - transferred.length,
      failed: failed.length,
      ms: Math.round(performance.now() - started),
    },
  };
}
