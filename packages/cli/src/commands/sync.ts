/**
 * `coskit sync SRC DST`: make DST hold what SRC holds, in any direction — a local folder to a COS
 * prefix (uploads), a prefix to a folder (downloads), a prefix to another prefix (server-side
 * copies). What is new or differs (by size from the listings, then CRC-64; `--size-only`: size
 * alone) goes; equal files are left alone; `--delete` removes what DST has and SRC has not.
 */
import { rm, stat } from 'node:fs/promises';
import { pathFilter } from '@coskit/client';
import { type Command, Option } from 'commander';
import { folderPrefix, formatCosUrl, isCosUrl, parseCosUrl } from '../cos-url.js';
import { describeError, errorCodeOf } from '../errors.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import {
  addTransferOptions,
  type TransferFlags,
  type TransferSettings,
  transferSettings,
} from '../options/transfer.js';
import { prose } from '../output/help.js';
import { createReporter } from '../output/index.js';
import type { FileDone, Reporter } from '../output/reporter.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { copyFolder } from '../transfer/copy.js';
import { deleteKeys } from '../transfer/delete-keys.js';
import { downloadFolder } from '../transfer/download.js';
import { finishBatch } from '../transfer/finish.js';
import { listAllObjects } from '../transfer/listing.js';
import type { BatchResult } from '../transfer/run.js';
import { uploadFolder } from '../transfer/upload.js';
import { UsageError } from '../usage-error.js';
import { RESUME_HINT } from './cp.js';

interface SyncFlags extends CommonFlags, TransferFlags {
  delete?: boolean;
  dryRun?: boolean;
  /** aws's spelling of --dry-run. */
  dryrun?: boolean;
  sizeOnly?: boolean;
}

type SyncPlan =
  | { readonly kind: 'up'; readonly dir: string; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'down'; readonly bucket: string; readonly prefix: string; readonly dir: string }
  | {
      readonly kind: 'copy';
      readonly from: { bucket: string; prefix: string };
      readonly to: { bucket: string; prefix: string };
    };

async function planSync(src: string, dst: string): Promise<SyncPlan> {
  if (!isCosUrl(src) && !isCosUrl(dst)) {
    throw new UsageError(
      `sync needs a cos:// location on at least one side: coskit sync <folder> cos://<bucket>/<prefix>/ (or the reverse, or two prefixes); got "${src}" "${dst}".`,
    );
  }
  if (isCosUrl(src) && isCosUrl(dst)) {
    const from = parseCosUrl(src);
    const to = parseCosUrl(dst);
    const plan = {
      kind: 'copy' as const,
      from: { bucket: from.bucket, prefix: folderPrefix(from.key) },
      to: { bucket: to.bucket, prefix: folderPrefix(to.key) },
    };
    if (plan.from.bucket === plan.to.bucket && plan.from.prefix === plan.to.prefix)
      throw new UsageError(`"${src}" and "${dst}" are the same prefix: name another destination.`);
    const nested =
      plan.from.bucket === plan.to.bucket &&
      (plan.to.prefix.startsWith(plan.from.prefix) || plan.from.prefix.startsWith(plan.to.prefix));
    if (nested)
      throw new UsageError(
        `"${src}" and "${dst}" overlap (one prefix holds the other): sync between separate prefixes.`,
      );
    return plan;
  }
  if (isCosUrl(src)) {
    const from = parseCosUrl(src);
    const info = await stat(dst).catch(() => undefined);
    if (info && !info.isDirectory())
      throw new UsageError(`"${dst}" is a file; sync downloads into a folder.`);
    return { kind: 'down', bucket: from.bucket, prefix: folderPrefix(from.key), dir: dst };
  }
  const to = parseCosUrl(dst);
  const info = await stat(src).catch(() => undefined);
  if (!info) throw new UsageError(`"${src}" does not exist.`);
  if (!info.isDirectory()) throw new UsageError(`"${src}" is not a folder; use coskit cp for one file.`);
  return { kind: 'up', dir: src, bucket: to.bucket, prefix: folderPrefix(to.key) };
}

export function registerSync(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('sync')
    .summary('copy only what is new or changed: folder ↔ prefix, or prefix → prefix')
    .description(
      prose(`Make DST hold what SRC holds: a local folder and a COS prefix, either way, or two prefixes
(copied on the server). Files that are missing in DST or differ (by size, then CRC-64 — no
timestamps involved; --size-only: by size alone) are transferred, equal ones left alone, and with
--delete whatever DST has that SRC has not is removed. Excluded paths are neither transferred nor
deleted; folder markers (keys ending in "/") are kept.`),
    )
    .argument('<src>', 'local folder or cos://bucket/prefix/')
    .argument('<dst>', 'cos://bucket/prefix/ or local folder')
    .option('--delete', 'delete what DST has and SRC has not (objects, or local files)')
    .option('--dry-run', 'print what would be transferred and deleted; change nothing')
    .addOption(new Option('--dryrun', 'same as --dry-run').hideHelp())
    .option('--size-only', 'equal sizes count as equal: no CRC-64 comparison (no request per file)');
  addTransferOptions(cmd, { folders: true, skipExisting: false, copySource: true });
  addCommonOptions(cmd, { transfer: true });
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit sync ./site cos://web-1250000000/ --delete
  $ coskit sync ./photos cos://media-1250000000/photos/ --exclude .DS_Store
  $ coskit sync cos://media-1250000000/photos/ ./photos --size-only
  $ coskit sync cos://logs-1250000000/ cos://bak-1250000000/logs/ --dry-run
  $ coskit sync ./data cos://bak-1250000000/data/ --files 32 --json

${EXIT_CODES_HELP}`,
    )
    .action(async (src: string, dst: string, flags: SyncFlags) => {
      const settings = transferSettings(flags);
      const plan = await planSync(src, dst);
      if (settings.copySourceKey !== undefined && plan.kind !== 'copy')
        throw new UsageError(
          '--copy-source-sse-customer-key is the key of the source prefix of a cos:// → cos:// sync; for a download use --sse-customer-key.',
        );
      const buckets =
        plan.kind === 'copy'
          ? { bucket: plan.to.bucket, sourceBucket: plan.from.bucket }
          : { bucket: plan.bucket };
      await withSession(
        runtime,
        flags,
        { enableCrc: settings.crc64, interruptHint: RESUME_HINT, ...buckets },
        (s) => runSync(s, plan, settings, flags),
      );
    });
}

/** What DST has that SRC has not (and that the filters select): --delete's. */
async function doomed(s: Session, plan: SyncPlan, settings: TransferSettings, kept: ReadonlySet<string>) {
  const keep = pathFilter(settings.include, settings.exclude);
  const out: string[] = [];
  if (plan.kind === 'down') {
    // The folder's files, found by the SDK's own walk (a dry run of an upload sends nothing).
    await s.client.uploadDirectory({
      Bucket: plan.bucket,
      LocalDir: plan.dir,
      Include: [...settings.include],
      Exclude: [...settings.exclude],
      DryRun: true,
      signal: s.signal,
      onFileFinish: (_err, f) => {
        if (!kept.has(f.path)) out.push(f.path);
      },
    });
    return out.sort();
  }
  const { bucket, prefix } = plan.kind === 'up' ? plan : plan.to;
  for await (const o of listAllObjects(s.client, bucket, prefix, s.signal)) {
    if (!o.key.endsWith('/') && !kept.has(o.key) && keep(o.key.slice(prefix.length))) out.push(o.key);
  }
  return out;
}

/** The transfers of a sync (or, with `dryRun`, what they would be). */
async function transfer(
  s: Session,
  plan: SyncPlan,
  settings: TransferSettings,
  reporter: Reporter,
  compareBy: 'crc64' | 'size',
  dryRun?: (file: { source: string; target: string; reason: string }) => void,
): Promise<BatchResult & { kept: ReadonlySet<string> }> {
  const dry = dryRun ? { dryRun } : {};
  if (plan.kind === 'up') {
    const r = await uploadFolder(
      s,
      {
        dir: plan.dir,
        bucket: plan.bucket,
        prefix: plan.prefix,
        skipExisting: true,
        compareBy,
        ...(dryRun ? { dryRun: (f) => dryRun({ source: f.path, target: f.target, reason: f.reason }) } : {}),
      },
      settings,
      reporter,
    );
    return { ...r, kept: r.keys };
  }
  if (plan.kind === 'down') {
    const r = await downloadFolder(
      s,
      {
        bucket: plan.bucket,
        prefix: plan.prefix,
        dir: plan.dir,
        skipExisting: true,
        compareBy,
        ...(dryRun ? { dryRun: (f) => dryRun({ source: f.source, target: f.path, reason: f.reason }) } : {}),
      },
      settings,
      reporter,
    );
    return { ...r, kept: r.paths };
  }
  const r = await copyFolder(
    s,
    { from: plan.from, to: plan.to, skipExisting: true, compareBy, ...dry },
    settings,
    reporter,
  );
  return { ...r, kept: r.keys };
}

async function runSync(
  s: Session,
  plan: SyncPlan,
  settings: TransferSettings,
  flags: SyncFlags,
): Promise<number> {
  const compareBy = flags.sizeOnly ? 'size' : 'crc64';
  if (flags.dryRun || flags.dryrun) return dryRun(s, plan, settings, compareBy, flags.delete ?? false);
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const result = await transfer(s, plan, settings, reporter, compareBy);
  const failures: FileDone[] = [];
  let deleted = 0;
  if (flags.delete && !result.interrupted && result.fatal === undefined) {
    const gone = await doomed(s, plan, settings, result.kept);
    const failed = (source: string, error: string, code: string | undefined) => {
      const entry: FileDone = { source, target: '(delete)', size: 0, status: 'failed', error, code, ms: 0 };
      failures.push(entry);
      reporter.fileDone(entry);
    };
    if (plan.kind === 'down') {
      for (const path of gone) {
        try {
          await rm(path);
          deleted++;
          reporter.removed(path);
        } catch (err) {
          failed(path, describeError(err, s.conn), errorCodeOf(err));
        }
      }
    } else {
      const bucket = plan.kind === 'up' ? plan.bucket : plan.to.bucket;
      await deleteKeys(s, bucket, gone, {
        onDeleted: (key) => {
          deleted++;
          reporter.removed(formatCosUrl(bucket, key));
        },
        onFailed: (key, code, message) => failed(formatCosUrl(bucket, key), `${code}: ${message}`, code),
      });
    }
  }
  return finishBatch(
    reporter,
    { ...result, interrupted: result.interrupted || s.signal.aborted },
    settings.failOutput,
    { ...(flags.delete ? { deleted } : {}), extraFailures: failures },
  );
}

/** --dry-run: the SDK's DryRun decides (the same skip check as a real run); nothing is changed. */
async function dryRun(
  s: Session,
  plan: SyncPlan,
  settings: TransferSettings,
  compareBy: 'crc64' | 'size',
  withDelete: boolean,
): Promise<number> {
  const verb = plan.kind === 'up' ? 'upload' : plan.kind === 'down' ? 'download' : 'copy';
  let count = 0;
  const silent = createReporter({ quiet: true }, s.stdout, s.stderr);
  const result = await transfer(s, plan, settings, silent, compareBy, ({ source, target, reason }) => {
    count++;
    if (s.flags.json)
      s.stdout.write(`${JSON.stringify({ event: `would-${verb}`, source, target, reason })}\n`);
    else s.stdout.write(`would ${verb}: ${source} -> ${target} (${reason})\n`);
  });
  if (result.fatal !== undefined) throw result.fatal;
  const gone = withDelete ? await doomed(s, plan, settings, result.kept) : [];
  for (const item of gone) {
    const target =
      plan.kind === 'down' ? item : formatCosUrl(plan.kind === 'up' ? plan.bucket : plan.to.bucket, item);
    if (s.flags.json) s.stdout.write(`${JSON.stringify({ event: 'would-delete', target })}\n`);
    else s.stdout.write(`would delete: ${target}\n`);
  }
  if (!s.flags.json && !s.flags.quiet)
    s.stderr.write(
      `dry run: ${count} to ${verb}, ${result.summary.skipped} unchanged, ${gone.length} to delete; nothing changed\n`,
    );
  return result.interrupted ? EXIT.interrupted : EXIT.ok;
}
