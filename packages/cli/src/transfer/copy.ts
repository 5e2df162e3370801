/**
 * COS → COS copies through the SDK, on the server (no byte through the CLI): one object with
 * `copy`, a prefix with `copyDirectory` (its listings, Include/Exclude, skip check, files in
 * flight), their events turned into the reporter's lines and bars.
 */
import type { CopyDirectoryParams, CopyResult } from '@coskit/client';
import { formatCosUrl } from '../cos-url.js';
import { bodilessStatusOf } from '../errors.js';
import type { TransferSettings } from '../options/transfer.js';
import type { Reporter } from '../output/reporter.js';
import type { Session } from '../session.js';
import { regionOf } from '../settings/connection.js';
import { type BatchResult, type JobContext, type Outcome, TransferRun } from './run.js';
import { copyHeaderParams } from './upload.js';

/**
 * The options every copy of a command carries, from its flags: the target's encryption
 * (`--server-side-encryption` SSE-COS, or `--sse-customer-key` SSE-C: a copy inherits none) and
 * the source's SSE-C key (`--copy-source-sse-customer-key`).
 */
function copyParams(settings: TransferSettings) {
  return {
    ...copyHeaderParams(settings),
    ...settings.encryption,
    ...(settings.copySourceKey !== undefined ? { CopySourceSSECustomerKey: settings.copySourceKey } : {}),
    PartSize: settings.partSizeMiB,
    MAXThread: settings.threads,
    EnableCRC: settings.crc64,
    CheckpointDir: settings.checkpointDir,
    ProgressInterval: 100,
  };
}

/**
 * A copy's source HEAD refused with a bare 400/403 is, when SSE-C is in play, about the source's
 * key, not the credentials: said so (and a failure of this object, exit 1, not a job-wide one).
 * 403 without a source key stays what it is (refused keys or no permission).
 */
export function explainSourceRefusal(err: unknown, source: string, settings: TransferSettings): unknown {
  const status = bodilessStatusOf(err);
  const withKey = settings.copySourceKey !== undefined;
  let hint: string | undefined;
  if (status === 400)
    hint = withKey
      ? 'the source is not stored with SSE-C: drop --copy-source-sse-customer-key'
      : 'the source is stored with SSE-C: give its key with --copy-source-sse-customer-key';
  else if (status === 403 && withKey)
    hint =
      '--copy-source-sse-customer-key is not the key the source was stored with (or the SecretId may not read it)';
  if (hint === undefined) return err;
  const explained = new Error(`${status} from the HEAD of ${source}: ${hint}`);
  return Object.assign(explained, { code: status === 400 ? 'InvalidRequest' : 'AccessDenied' });
}

function outcomeOf(r: CopyResult): Outcome {
  return {
    status: 'copied',
    size: r.size,
    bytesSent: r.bytesCopied,
    etag: r.ETag,
    crc64: r['x-cos-hash-crc64ecma'],
    resumed: r.resumed,
  };
}

/** One object to another (`cp cos://a/x cos://b/y`), as a run's job. */
export async function copyOne(
  s: Session,
  from: { bucket: string; key: string },
  to: { bucket: string; key: string },
  settings: TransferSettings,
  ctx: JobContext,
): Promise<Outcome> {
  const r = await s.client
    .copy({
      ...copyParams(settings),
      Bucket: to.bucket,
      Key: to.key,
      CopySource: { Bucket: from.bucket, Region: regionOf(s.conn, from.bucket), Key: from.key },
      signal: ctx.signal,
      onProgress: (consumed) => ctx.progress(consumed),
    })
    .catch((err: unknown) => {
      throw explainSourceRefusal(err, formatCosUrl(from.bucket, from.key), settings);
    });
  return outcomeOf(r);
}

export interface FolderCopy {
  readonly from: { bucket: string; prefix: string };
  readonly to: { bucket: string; prefix: string };
  /** Compare with each target first and skip equal ones (--skip-existing, sync). */
  readonly skipExisting: boolean;
  /** How equal is decided: size and CRC-64, or size alone (sync --size-only). Default crc64. */
  readonly compareBy?: 'crc64' | 'size';
  /** Report what would be copied, copy nothing (sync --dry-run). */
  readonly dryRun?: (file: { source: string; target: string; reason: string }) => void;
}

export interface FolderCopyResult extends BatchResult {
  /** Every target key the source prefix maps to (copied, skipped, failed or planned). */
  readonly keys: ReadonlySet<string>;
  /** Source keys whose copy is done and verified (for mv). */
  readonly copiedSources: readonly string[];
}

/** A prefix to another prefix with `copyDirectory`, reported object by object. */
export async function copyFolder(
  s: Session,
  plan: FolderCopy,
  settings: TransferSettings,
  reporter: Reporter,
): Promise<FolderCopyResult> {
  const run = new TransferRun(s, reporter, 'copied');
  const keys = new Set<string>();
  const copiedSources: string[] = [];
  const job = (f: { sourceKey: string; key: string; size: number }) => ({
    source: formatCosUrl(plan.from.bucket, f.sourceKey),
    target: formatCosUrl(plan.to.bucket, f.key),
    size: f.size,
  });
  const params: CopyDirectoryParams = {
    ...copyParams(settings),
    Bucket: plan.to.bucket,
    Prefix: plan.to.prefix,
    CopySource: {
      Bucket: plan.from.bucket,
      Region: regionOf(s.conn, plan.from.bucket),
      Prefix: plan.from.prefix,
    },
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
        reporter.info(`no objects under ${formatCosUrl(plan.from.bucket, plan.from.prefix)}`);
    },
    onFileStart: (f) => run.fileStart(job(f)),
    onFileProgress: (f, bytes) => reporter.fileProgress(job(f).source, bytes),
    onFileFinish: (error, f) => {
      keys.add(f.key);
      if (f.status === 'would-copy') {
        plan.dryRun?.({ ...job(f), reason: f.reason ?? 'new' });
        return;
      }
      if (f.status === 'skipped') {
        const reason = plan.compareBy === 'size' ? 'same size' : 'same size and CRC-64';
        run.succeed(job(f), { status: 'skipped', bytesSent: 0, reason });
        return;
      }
      if (f.status === 'copied' && f.result) {
        copiedSources.push(f.sourceKey);
        run.succeed(job(f), outcomeOf(f.result));
        return;
      }
      run.fail(job(f), explainSourceRefusal(error, job(f).source, settings));
    },
  };
  await run.guard(() => s.client.copyDirectory(params));
  return { ...run.finish(), keys, copiedSources };
}
