/**
 * Uploads through the SDK: a folder with `uploadDirectory` (its walk, Include/Exclude, skip check,
 * files in flight and shared part limit), its events turned into the reporter's lines and bars; a
 * single file with `uploadFile`. A job-wide failure (endpoint unreachable, keys refused, no such
 * bucket) before anything succeeded stops the whole folder at once.
 */

import type { UploadDirectoryParams, UploadFileParams } from '@coskit/client';
import { contentTypeFromExtension } from '@coskit/protocol';
import { formatCosUrl } from '../cos-url.js';
import type { TransferSettings } from '../options/transfer.js';
import type { Reporter } from '../output/reporter.js';
import { formatBytes } from '../output/units.js';
import type { Session } from '../session.js';
import { type BatchResult, type JobContext, type Outcome, TransferRun } from './run.js';

const SKIP_REASON = 'same size and CRC-64';

/** The object header parameters of uploads and copies, from the flags. */
function objectHeaderParams(settings: TransferSettings) {
  return {
    ...(settings.storageClass ? { StorageClass: settings.storageClass } : {}),
    ...(settings.acl ? { ACL: settings.acl } : {}),
    ...(settings.metadata ? { Metadata: settings.metadata } : {}),
    ...(settings.contentType ? { ContentType: settings.contentType } : {}),
    // Cache-Control, Content-Disposition, …, and Tagging (from --tags or --meta x-cos-tagging:…).
    ...settings.headers,
    ...(settings.noClobber ? { ForbidOverwrite: 'true' as const } : {}),
  };
}

/** The object parameters every upload of a command carries, from its flags (stdin's too). */
export function uploadObjectParams(settings: TransferSettings) {
  return {
    PartSize: settings.partSizeMiB,
    MAXThread: settings.threads,
    EnableCRC: settings.crc64,
    ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
    ...objectHeaderParams(settings),
    ...settings.encryption,
  };
}

/**
 * A copy's header parameters: class, ACL, tags, no-clobber always; with --meta, --content-type or
 * a standard header (--cache-control, …) the target's metadata is replaced (`Replaced`), else it
 * keeps the source's (`Copy`). Tags alone do not replace the metadata.
 */
export function copyHeaderParams(settings: TransferSettings) {
  const { Tagging: _tags, ...standard } = settings.headers;
  const replaced =
    settings.metadata !== undefined || settings.contentType !== undefined || Object.keys(standard).length > 0;
  return {
    ...objectHeaderParams(settings),
    CopyStatus: replaced ? ('Replaced' as const) : ('Copy' as const),
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
    ...uploadObjectParams(settings),
    CheckpointDir: settings.checkpointDir,
    Bucket: file.bucket,
    Key: file.key,
    LocalFilePath: file.path,
    SkipExisting: settings.skipExisting,
    ProgressInterval: 100,
    signal: ctx.signal,
    onProgress: (consumed) => ctx.progress(consumed),
    onResume: (reused) => ctx.resumed(reused),
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
  /** How equal is decided: size and CRC-64, or size alone (sync --size-only). Default crc64. */
  readonly compareBy?: 'crc64' | 'size';
  /** Report what would go, send nothing (sync --dry-run). */
  readonly dryRun?: (file: { path: string; target: string; reason: string }) => void;
  /** Keep the SDK's folder journal, so that the same command after Ctrl-C skips what went (cp -r). */
  readonly resume?: boolean;
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
  const run = new TransferRun(s, reporter, 'uploaded');
  const keys = new Set<string>();
  const job = (f: { path: string; key: string; size: number }) => ({
    source: f.path,
    target: formatCosUrl(plan.bucket, f.key),
    size: f.size,
  });
  const params: UploadDirectoryParams = {
    ...uploadObjectParams(settings),
    CheckpointDir: settings.checkpointDir,
    Bucket: plan.bucket,
    LocalDir: plan.dir,
    Prefix: plan.prefix,
    FileThreads: settings.files,
    Include: [...settings.include],
    Exclude: [...settings.exclude],
    SkipExisting: plan.skipExisting,
    CompareBy: plan.compareBy ?? 'crc64',
    DryRun: plan.dryRun !== undefined,
    Resume: plan.resume ?? false,
    Symlinks: settings.symlinks,
    onSkippedEntry: (e) => {
      if (plan.dryRun) return;
      const hint = e.reason === 'symbolic link' ? '; --symlinks follow uploads what it points to' : '';
      reporter.info(`skipped: ${e.path} (${e.reason}${hint})`);
    },
    ProgressInterval: 100,
    ContentTypeOf: contentTypeFromExtension,
    signal: run.signal,
    onStart: ({ files, bytes, resumedFiles, resumedBytes }) => {
      reporter.total(files, bytes);
      if (files === 0 && !plan.dryRun) reporter.info(`no files to upload under "${plan.dir}"`);
      if (resumedFiles > 0)
        reporter.info(
          `resuming: ${resumedFiles} of ${files} file(s) (${formatBytes(resumedBytes)} of ${formatBytes(bytes)}) already uploaded by an interrupted run`,
        );
    },
    onFileStart: (f) => run.fileStart(job(f)),
    onFileProgress: (f, bytes) => reporter.fileProgress(f.path, bytes),
    onFileResume: (f, reused) => reporter.fileResumed(f.path, reused),
    onFileFinish: (error, f) => {
      keys.add(f.key);
      if (f.status === 'would-upload') {
        plan.dryRun?.({ path: f.path, target: job(f).target, reason: f.reason ?? 'new' });
        return;
      }
      if (f.status === 'skipped') {
        // (A dry run reports through a quiet reporter: skipped files only count.)
        const reason =
          f.reason === 'uploaded before'
            ? 'uploaded by an interrupted run'
            : plan.compareBy === 'size'
              ? 'same size'
              : SKIP_REASON;
        run.succeed(job(f), { status: 'skipped', bytesSent: 0, reason });
        return;
      }
      if (f.status === 'uploaded') {
        const r = f.result;
        run.succeed(job(f), {
          status: 'uploaded',
          bytesSent: r?.bytesSent ?? f.size,
          etag: r?.ETag,
          crc64: r?.['x-cos-hash-crc64ecma'],
          resumed: (r?.bytesSent ?? f.size) < f.size,
        });
        return;
      }
      run.fail(job(f), error);
    },
  };
  await run.guard(() => s.client.uploadDirectory(params));
  return { ...run.finish(), keys };
}
