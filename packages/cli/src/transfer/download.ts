/**
 * Downloads through the SDK: one object with `downloadFile`, a prefix with `downloadDirectory` (its
 * listing, Include/Exclude, skip check, files in flight, safe local paths), its events turned into
 * the reporter's lines and bars.
 */
import type { DownloadDirectoryParams, DownloadFileResult } from '@coskit/client';
import { formatCosUrl } from '../cos-url.js';
import type { TransferSettings } from '../options/transfer.js';
import type { Reporter } from '../output/reporter.js';
import type { Session } from '../session.js';
import { type BatchResult, type JobContext, type Outcome, TransferRun } from './run.js';

const SKIP_REASON = 'same size and CRC-64';

/** The options every download of a command carries, from its flags. */
function downloadParams(settings: TransferSettings) {
  return {
    PartSize: settings.partSizeMiB,
    MAXThread: settings.threads,
    EnableCRC: settings.crc64,
    CheckpointDir: settings.checkpointDir,
    ProgressInterval: 100,
    ...(settings.noClobber ? { Overwrite: false } : {}),
    ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
    // Only the SSE-C key matters to a read (SSE-COS objects decrypt without anything).
    ...(settings.encryption.SSECustomerKey ? { SSECustomerKey: settings.encryption.SSECustomerKey } : {}),
  };
}

/** Why a download was skipped, as a line says it. */
function skipReason(r: DownloadFileResult | undefined, compareBy: 'crc64' | 'size' = 'crc64'): string {
  if (r?.skipReason === 'exists') return 'the local file exists (--no-clobber)';
  return compareBy === 'size' ? 'same size' : SKIP_REASON;
}

function outcomeOf(r: DownloadFileResult): Outcome {
  return {
    status: 'downloaded',
    size: r.size,
    bytesSent: r.bytesReceived,
    etag: r.ETag,
    crc64: r['x-cos-hash-crc64ecma'],
    resumed: r.resumed,
  };
}

/** One object to one local file (`cp cos://… FILE`), as a run's job. */
export async function downloadOne(
  s: Session,
  object: { bucket: string; key: string; dest: string },
  settings: TransferSettings,
  ctx: JobContext,
): Promise<Outcome> {
  const r = await s.client.downloadFile({
    ...downloadParams(settings),
    Bucket: object.bucket,
    Key: object.key,
    DestFilePath: object.dest,
    SkipExisting: settings.skipExisting,
    signal: ctx.signal,
    onProgress: (consumed) => ctx.progress(consumed),
    onResume: (reused) => ctx.resumed(reused),
  });
  if (r.skipped)
    return {
      status: 'skipped',
      bytesSent: 0,
      reason: skipReason(r),
      etag: r.ETag,
      crc64: r['x-cos-hash-crc64ecma'],
    };
  return outcomeOf(r);
}

export interface FolderDownload {
  readonly bucket: string;
  readonly prefix: string;
  readonly dir: string;
  /** Compare with each local file first and skip equal ones (--skip-existing, sync). */
  readonly skipExisting: boolean;
  /** How equal is decided: size and CRC-64, or size alone (sync --size-only). Default crc64. */
  readonly compareBy?: 'crc64' | 'size';
  /** Report what would come, receive nothing (sync --dry-run). */
  readonly dryRun?: (file: { source: string; path: string; reason: string }) => void;
}

export interface FolderDownloadResult extends BatchResult {
  /** Every local file the prefix maps to (downloaded, skipped, failed or planned). */
  readonly paths: ReadonlySet<string>;
}

/** A prefix to a folder with `downloadDirectory`, reported object by object. */
export async function downloadFolder(
  s: Session,
  plan: FolderDownload,
  settings: TransferSettings,
  reporter: Reporter,
): Promise<FolderDownloadResult> {
  const run = new TransferRun(s, reporter, 'downloaded');
  const paths = new Set<string>();
  const job = (f: { key: string; path: string; size: number }) => ({
    source: formatCosUrl(plan.bucket, f.key),
    target: f.path || '(no local file)',
    size: f.size,
  });
  const params: DownloadDirectoryParams = {
    ...downloadParams(settings),
    Bucket: plan.bucket,
    Prefix: plan.prefix,
    LocalDir: plan.dir,
    FileThreads: settings.files,
    Include: [...settings.include],
    Exclude: [...settings.exclude],
    SkipExisting: plan.skipExisting,
    CompareBy: plan.compareBy ?? 'crc64',
    DryRun: plan.dryRun !== undefined,
    signal: run.signal,
    onStart: ({ files, bytes }) => {
      reporter.total(files, bytes);
      if (files === 0 && !plan.dryRun)
        reporter.info(`no objects under ${formatCosUrl(plan.bucket, plan.prefix)}`);
    },
    onFileStart: (f) => run.fileStart(job(f)),
    onFileProgress: (f, bytes) => reporter.fileProgress(job(f).source, bytes),
    onFileResume: (f, reused) => reporter.fileResumed(job(f).source, reused),
    onFileFinish: (error, f) => {
      if (f.path) paths.add(f.path);
      if (f.status === 'would-download') {
        plan.dryRun?.({ source: job(f).source, path: f.path, reason: f.reason ?? 'new' });
        return;
      }
      if (f.status === 'skipped') {
        run.succeed(job(f), {
          status: 'skipped',
          bytesSent: 0,
          reason: skipReason(f.result, plan.compareBy),
        });
        return;
      }
      if (f.status === 'downloaded' && f.result) {
        run.succeed(job(f), outcomeOf(f.result));
        return;
      }
      run.fail(job(f), error);
    },
  };
  await run.guard(() => s.client.downloadDirectory(params));
  return { ...run.finish(), paths };
}
