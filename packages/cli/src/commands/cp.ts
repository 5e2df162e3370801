/** `coskit cp SRC DST`: upload a file or folder, download an object or prefix, stream stdin/stdout. */
import { stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { type Command, Option } from 'commander';
import { checkKey, folderPrefix, formatCosUrl, isCosUrl, parseCosUrl, parseObjectUrl } from '../cos-url.js';
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
import type { Reporter } from '../output/reporter.js';
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { copyFolder, copyOne } from '../transfer/copy.js';
import { downloadFolder, downloadOne } from '../transfer/download.js';
import { finishBatch } from '../transfer/finish.js';
import { type BatchResult, runOne } from '../transfer/run.js';
import { streamObject } from '../transfer/stream-object.js';
import { uploadFolder, uploadObjectParams, uploadOne } from '../transfer/upload.js';
import { UsageError } from '../usage-error.js';

export interface CpFlags extends CommonFlags, TransferFlags {
  recursive?: boolean;
  dryRun?: boolean;
  /** `--dryrun`, as aws s3 and coscli spell it. */
  dryrun?: boolean;
}

export type CpPlan =
  | { kind: 'upload-file'; path: string; bucket: string; key: string }
  | { kind: 'upload-dir'; dir: string; bucket: string; prefix: string }
  | { kind: 'upload-stdin'; bucket: string; key: string }
  | { kind: 'download-file'; bucket: string; key: string; dest: string }
  | { kind: 'download-prefix'; bucket: string; prefix: string; dir: string }
  | { kind: 'download-stdout'; bucket: string; key: string }
  | { kind: 'copy-object'; from: { bucket: string; key: string }; to: { bucket: string; key: string } }
  | { kind: 'copy-prefix'; from: { bucket: string; prefix: string }; to: { bucket: string; prefix: string } };

/** The plans that move files or objects one by one (not a stream). */
export type FilePlan = Exclude<CpPlan, { kind: 'upload-stdin' | 'download-stdout' }>;

export const RESUME_HINT = 'interrupted: run the same command again to resume';

async function localKind(path: string): Promise<'file' | 'dir' | 'other' | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
}

/**
 * Works out what `cp SRC DST` (and `mv`) means, refusing every malformed combination before any
 * network I/O.
 */
export async function planCp(src: string, dst: string, flags: CpFlags): Promise<CpPlan> {
  const recursive = flags.recursive ?? false;
  const filters = (flags.include?.length ?? 0) + (flags.exclude?.length ?? 0) > 0;
  if (!isCosUrl(src) && !isCosUrl(dst)) {
    throw new UsageError(`one of SRC and DST must be a cos:// location; got "${src}" and "${dst}".`);
  }
  if (filters && !recursive) throw new UsageError('--include/--exclude select files of a folder: add -r.');
  if (isCosUrl(src) && isCosUrl(dst)) return planCopy(src, dst, recursive);
  if (isCosUrl(dst)) {
    const to = parseCosUrl(dst);
    if (src === '-') {
      if (recursive) throw new UsageError('-r cannot be used with "-" (standard input).');
      const loc = parseObjectUrl(dst, 'standard input needs a full key');
      return { kind: 'upload-stdin', bucket: loc.bucket, key: loc.key };
    }
    const kind = await localKind(src);
    if (kind === undefined) throw new UsageError(`"${src}" does not exist.`);
    if (kind === 'other') throw new UsageError(`"${src}" is neither a regular file nor a folder.`);
    if (kind === 'dir') {
      if (!recursive)
        throw new UsageError(`"${src}" is a folder: add -r to upload it and everything under it.`);
      return { kind: 'upload-dir', dir: src, bucket: to.bucket, prefix: folderPrefix(to.key) };
    }
    const key = to.key === '' || to.key.endsWith('/') ? `${to.key}${basename(src)}` : to.key;
    checkKey(dst, key);
    return { kind: 'upload-file', path: src, bucket: to.bucket, key };
  }
  const from = parseCosUrl(src);
  if (recursive) {
    if (dst === '-') throw new UsageError('-r cannot write to "-" (standard output); name a folder.');
    if ((await localKind(dst)) === 'file')
      throw new UsageError(`"${dst}" is a file; -r downloads into a folder.`);
    return { kind: 'download-prefix', bucket: from.bucket, prefix: folderPrefix(from.key), dir: dst };
  }
  const loc = parseObjectUrl(src, 'add -r to download everything under a prefix');
  if (dst === '-') return { kind: 'download-stdout', bucket: loc.bucket, key: loc.key };
  const intoDir = dst.endsWith('/') || dst.endsWith(sep) || (await localKind(dst)) === 'dir';
  return {
    kind: 'download-file',
    bucket: loc.bucket,
    key: loc.key,
    dest: intoDir ? join(dst, basename(loc.key)) : dst,
  };
}

/** `cp cos://a/x cos://b/y`: a server-side copy of one object, or with -r of a prefix. */
function planCopy(src: string, dst: string, recursive: boolean): CpPlan {
  const to = parseCosUrl(dst);
  if (recursive) {
    const from = parseCosUrl(src);
    const plan = {
      kind: 'copy-prefix' as const,
      from: { bucket: from.bucket, prefix: folderPrefix(from.key) },
      to: { bucket: to.bucket, prefix: folderPrefix(to.key) },
    };
    if (plan.from.bucket === plan.to.bucket && plan.from.prefix === plan.to.prefix)
      throw new UsageError(`"${src}" and "${dst}" are the same prefix: name another destination.`);
    return plan;
  }
  const from = parseObjectUrl(src, 'add -r to copy everything under a prefix');
  const key = to.key === '' || to.key.endsWith('/') ? `${to.key}${basename(from.key)}` : to.key;
  checkKey(dst, key);
  if (from.bucket === to.bucket && from.key === key)
    throw new UsageError(`"${src}" would be copied onto itself: name another destination.`);
  return {
    kind: 'copy-object',
    from: { bucket: from.bucket, key: from.key },
    to: { bucket: to.bucket, key },
  };
}

export function registerCp(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('cp')
    .summary('copy files and folders to or from COS, or objects within it')
    .description(
      prose(`Copy a local file or folder to COS, or an object or prefix from COS.

  FILE                  -> cos://bucket/key  (key ending in "/": + file name)
  FOLDER -r             -> cos://bucket/prefix/  (the folder's contents)
  cos://bucket/key      -> FILE, or into FOLDER
  cos://bucket/prefix/  -> FOLDER, with -r
  cos://a/key           -> cos://b/key2 (copied on the server; -r: a prefix)
  -  (standard input)   -> cos://bucket/key;  cos://bucket/key -> -  (stdout)

Uploads above 20 MiB go multipart and resume from a checkpoint: after Ctrl-C, a crash or a failure, run the same command again. Downloads larger than --part-size use parallel ranged GETs and resume too. Every transfer is checked with CRC-64 end to end unless --no-crc64.`),
    )
    .argument('<src>', 'local path, cos://bucket/key, or -')
    .argument('<dst>', 'cos://bucket/key, local path, or -')
    .option('-r, --recursive', 'copy a folder, or every object under a prefix')
    .option('--dry-run', 'print what would be copied; copy nothing (also --dryrun)')
    .addOption(new Option('--dryrun').hideHelp());
  addTransferOptions(cmd, { folders: true, noClobber: true, copySource: true });
  addCommonOptions(cmd, { transfer: true });
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit cp ./video.mp4 cos://media-1250000000/videos/
  $ coskit cp ./site cos://web-1250000000/ -r --exclude '*.map' --skip-existing
  $ coskit cp ./backup.tar cos://bak-1250000000/ --part-size 64M --threads 8
  $ coskit cp ./huge.iso cos://bak-1250000000/ --rate-limit 50M
  $ coskit cp cos://media-1250000000/videos/big.mp4 ./downloads/
  $ coskit cp cos://logs-1250000000/2026/01/ ./logs -r --include '*.gz'
  $ tar c ./src | coskit cp - cos://bak-1250000000/src.tar
  $ coskit cp cos://media-1250000000/a.mp4 cos://bak-1250000000/a.mp4
  $ coskit cp -r cos://logs-1250000000/2025/ cos://old-1250000000/2025/
  $ coskit cp ./a.pdf cos://docs-1250000000/ --tags 'team=web' --no-clobber
  $ coskit cp ./site cos://web-1250000000/ -r --dryrun

Globs: a pattern with "/" matches the path relative to the folder (logs/**);
one without "/" matches any file or folder name along it (*.log, node_modules).

${EXIT_CODES_HELP}`,
    )
    .action(async (src: string, dst: string, flags: CpFlags) => {
      const settings = transferSettings(flags);
      const plan = await planCp(src, dst, flags);
      checkCopySourceKey(plan, settings);
      const dryRun = flags.dryRun === true || flags.dryrun === true;
      if (dryRun && (plan.kind === 'upload-stdin' || plan.kind === 'download-stdout'))
        throw new UsageError('--dry-run cannot be used with "-" (standard input or output).');
      if (dryRun) {
        await withSession(runtime, flags, planBuckets(plan), (s) => dryRunCp(s, plan, settings));
        return;
      }
      const resumable = plan.kind !== 'upload-stdin' && plan.kind !== 'download-stdout';
      await withSession(
        runtime,
        flags,
        {
          enableCrc: settings.crc64,
          ...planBuckets(plan),
          ...(resumable ? { interruptHint: RESUME_HINT } : {}),
        },
        (s) => runCp(s, plan, settings),
      );
    });
}

/**
 * The buckets of a plan's session: the one it connects for (its ~/.cos.yaml entry's region and
 * endpoint: the destination of uploads and copies, the source of downloads) and a copy's source.
 */
export function planBuckets(plan: CpPlan): { bucket: string; sourceBucket?: string } {
  return plan.kind === 'copy-object' || plan.kind === 'copy-prefix'
    ? { bucket: plan.to.bucket, sourceBucket: plan.from.bucket }
    : { bucket: plan.bucket };
}

async function runCp(s: Session, plan: CpPlan, settings: TransferSettings): Promise<number> {
  if (plan.kind === 'download-stdout') {
    await streamObject(s, plan.bucket, plan.key, settings.trafficLimit);
    return EXIT.ok;
  }
  if (plan.kind === 'upload-stdin') return uploadStdin(s, plan, settings);
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  return finishBatch(reporter, await transferPlan(s, plan, settings, reporter), settings.failOutput);
}

/** Runs a file-by-file plan (upload, download or copy; one or a folder) and returns its lists. */
export async function transferPlan(
  s: Session,
  plan: FilePlan,
  settings: TransferSettings,
  reporter: Reporter,
): Promise<BatchResult> {
  switch (plan.kind) {
    case 'upload-dir':
      return uploadFolder(
        s,
        // resume: the folder journal skips files acknowledged by an interrupted run (issue 13 item 4).
        {
          dir: plan.dir,
          bucket: plan.bucket,
          prefix: plan.prefix,
          skipExisting: settings.skipExisting,
          resume: true,
        },
        settings,
        reporter,
      );
    case 'upload-file': {
      const file = {
        path: plan.path,
        bucket: plan.bucket,
        key: plan.key,
        size: (await stat(plan.path)).size,
      };
      const job = { source: plan.path, target: formatCosUrl(plan.bucket, plan.key), size: file.size };
      return runOne(s, reporter, 'uploaded', job, (ctx) => uploadOne(s, file, settings, ctx));
    }
    case 'download-prefix': {
      const folder = {
        bucket: plan.bucket,
        prefix: plan.prefix,
        dir: plan.dir,
        skipExisting: settings.skipExisting,
      };
      return downloadFolder(s, folder, settings, reporter);
    }
    case 'download-file': {
      const job = {
        source: formatCosUrl(plan.bucket, plan.key),
        target: plan.dest,
        size: await sizeOf(s, plan.bucket, plan.key, settings.encryption.SSECustomerKey),
      };
      return runOne(s, reporter, 'downloaded', job, (ctx) =>
        downloadOne(s, { bucket: plan.bucket, key: plan.key, dest: plan.dest }, settings, ctx),
      );
    }
    case 'copy-prefix':
      return copyFolder(
        s,
        { from: plan.from, to: plan.to, skipExisting: settings.skipExisting },
        settings,
        reporter,
      );
    case 'copy-object': {
      const job = {
        source: formatCosUrl(plan.from.bucket, plan.from.key),
        target: formatCosUrl(plan.to.bucket, plan.to.key),
        size: await sizeOf(s, plan.from.bucket, plan.from.key, settings.copySourceKey),
      };
      return runOne(s, reporter, 'copied', job, (ctx) => copyOne(s, plan.from, plan.to, settings, ctx));
    }
  }
}

/** An SSE-C key as the fields of a read of the object it seals (a HEAD). */
function sseKeyOf(key: string | undefined): { SSECustomerKey?: string } {
  return key === undefined ? {} : { SSECustomerKey: key };
}

/**
 * `--copy-source-sse-customer-key` names the key of a COS → COS copy's source: refused for the
 * other plans (an upload's source is a file; a download's key is --sse-customer-key).
 */
export function checkCopySourceKey(plan: CpPlan, settings: TransferSettings): void {
  if (settings.copySourceKey === undefined) return;
  if (plan.kind !== 'copy-object' && plan.kind !== 'copy-prefix')
    throw new UsageError(
      "--copy-source-sse-customer-key is the key of a cos:// → cos:// copy's source; to read an SSE-C object into a file use --sse-customer-key.",
    );
}

/** An object's size for the progress bar; 0 when the HEAD fails (the failure shows again, as this file's). */
async function sizeOf(s: Session, bucket: string, key: string, sseKey?: string): Promise<number> {
  const head = await s.client
    .headObject({ Bucket: bucket, Key: key, ...sseKeyOf(sseKey), signal: s.signal })
    .catch(() => undefined);
  return head?.['Content-Length'] ?? 0;
}

async function uploadStdin(
  s: Session,
  plan: Extract<CpPlan, { kind: 'upload-stdin' }>,
  settings: TransferSettings,
): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const job = { source: '-', target: formatCosUrl(plan.bucket, plan.key), size: 0 };
  const result = await runOne(s, reporter, 'uploaded', job, async (ctx) => {
    const r = await s.client.uploadStream({
      ...uploadObjectParams(settings),
      Bucket: plan.bucket,
      Key: plan.key,
      Body: process.stdin,
      signal: ctx.signal,
      onProgress: (consumed) => ctx.progress(consumed),
      onResume: (reused) => ctx.resumed(reused),
    });
    return {
      status: 'uploaded',
      bytesSent: r.size,
      size: r.size,
      etag: r.ETag,
      crc64: r['x-cos-hash-crc64ecma'],
    };
  });
  return finishBatch(reporter, result, settings.failOutput);
}

/** `cp --dry-run`: what would be copied, decided as a real run decides (the SDK's DryRun for folders). */
async function dryRunCp(s: Session, plan: CpPlan, settings: TransferSettings): Promise<number> {
  let planned = 0;
  let plannedBytes = 0;
  const would = (verb: string, source: string, target: string, detail: string, size?: number) => {
    planned++;
    plannedBytes += size ?? 0;
    if (s.flags.json)
      s.stdout.write(`${JSON.stringify({ event: `would-${verb}`, source, target, detail, size })}\n`);
    else s.stdout.write(`would ${verb}: ${source} -> ${target} (${detail})\n`);
  };
  const silent = createReporter({ quiet: true }, s.stdout, s.stderr);
  let skipped = 0;
  switch (plan.kind) {
    case 'upload-file': {
      const size = (await stat(plan.path)).size;
      would('upload', plan.path, formatCosUrl(plan.bucket, plan.key), formatBytes(size), size);
      break;
    }
    case 'upload-dir': {
      const folder = {
        dir: plan.dir,
        bucket: plan.bucket,
        prefix: plan.prefix,
        skipExisting: settings.skipExisting,
      };
      const result = await uploadFolder(
        s,
        { ...folder, dryRun: ({ path, target, reason }) => would('upload', path, target, reason) },
        settings,
        silent,
      );
      if (result.fatal !== undefined) throw result.fatal;
      skipped = result.summary.skipped;
      break;
    }
    case 'download-file': {
      const head = await s.client.headObject({
        Bucket: plan.bucket,
        Key: plan.key,
        ...sseKeyOf(settings.encryption.SSECustomerKey),
        signal: s.signal,
      });
      const size = head['Content-Length'];
      would('download', formatCosUrl(plan.bucket, plan.key), plan.dest, formatBytes(size), size);
      break;
    }
    case 'download-prefix': {
      const folder = {
        bucket: plan.bucket,
        prefix: plan.prefix,
        dir: plan.dir,
        skipExisting: settings.skipExisting,
      };
      const result = await downloadFolder(
        s,
        { ...folder, dryRun: ({ source, path, reason }) => would('download', source, path, reason) },
        settings,
        silent,
      );
      if (result.fatal !== undefined) throw result.fatal;
      skipped = result.summary.skipped;
      break;
    }
    case 'copy-object': {
      const head = await s.client.headObject({
        Bucket: plan.from.bucket,
        Key: plan.from.key,
        ...sseKeyOf(settings.copySourceKey),
        signal: s.signal,
      });
      const size = head['Content-Length'];
      const source = formatCosUrl(plan.from.bucket, plan.from.key);
      would('copy', source, formatCosUrl(plan.to.bucket, plan.to.key), formatBytes(size), size);
      break;
    }
    case 'copy-prefix': {
      const result = await copyFolder(
        s,
        {
          from: plan.from,
          to: plan.to,
          skipExisting: settings.skipExisting,
          dryRun: ({ source, target, reason }) => would('copy', source, target, reason),
        },
        settings,
        silent,
      );
      if (result.fatal !== undefined) throw result.fatal;
      skipped = result.summary.skipped;
      break;
    }
    default:
      throw new UsageError('--dry-run cannot be used with "-" (standard input or output).');
  }
  if (!s.flags.json && !s.flags.quiet) {
    const bytes = plannedBytes > 0 ? ` (${formatBytes(plannedBytes)})` : '';
    s.stderr.write(`dry run: ${planned} to copy${bytes}, ${skipped} unchanged; nothing changed\n`);
  }
  return s.signal.aborted ? EXIT.interrupted : EXIT.ok;
}
