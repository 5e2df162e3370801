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
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { downloadFolder, downloadOne } from '../transfer/download.js';
import { finishBatch } from '../transfer/finish.js';
import { runOne } from '../transfer/run.js';
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
  | { kind: 'download-stdout'; bucket: string; key: string };

export const RESUME_HINT = 'interrupted: run the same command again to resume';

async function localKind(path: string): Promise<'file' | 'dir' | 'other' | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
}

/** Works out what `cp SRC DST` means, refusing every malformed combination before any network I/O. */
async function planCp(src: string, dst: string, flags: CpFlags): Promise<CpPlan> {
  const recursive = flags.recursive ?? false;
  const filters = (flags.include?.length ?? 0) + (flags.exclude?.length ?? 0) > 0;
  if (isCosUrl(src) && isCosUrl(dst)) {
    throw new UsageError('copying from COS to COS is not supported; one of SRC and DST must be local.');
  }
  if (!isCosUrl(src) && !isCosUrl(dst)) {
    throw new UsageError(`one of SRC and DST must be a cos:// location; got "${src}" and "${dst}".`);
  }
  if (filters && !recursive) throw new UsageError('--include/--exclude select files of a folder: add -r.');
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

export function registerCp(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('cp')
    .summary('copy files and folders to COS, or objects and prefixes from it')
    .description(
      prose(`Copy a local file or folder to COS, or an object or prefix from COS.

  FILE                  -> cos://bucket/key  (key ending in "/": + file name)
  FOLDER -r             -> cos://bucket/prefix/  (the folder's contents)
  cos://bucket/key      -> FILE, or into FOLDER
  cos://bucket/prefix/  -> FOLDER, with -r
  -  (standard input)   -> cos://bucket/key;  cos://bucket/key -> -  (stdout)

Uploads above 20 MiB go multipart and resume from a checkpoint: after Ctrl-C, a crash or a failure, run the same command again. Downloads larger than --part-size use parallel ranged GETs and resume too. Every transfer is checked with CRC-64 end to end unless --no-crc64.`),
    )
    .argument('<src>', 'local path, cos://bucket/key, or -')
    .argument('<dst>', 'cos://bucket/key, local path, or -')
    .option('-r, --recursive', 'copy a folder, or every object under a prefix')
    .option('--dry-run', 'print what would be copied; copy nothing (also --dryrun)')
    .addOption(new Option('--dryrun').hideHelp());
  addTransferOptions(cmd, { folders: true });
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
  $ coskit cp ./site cos://web-1250000000/ -r --dryrun

Globs: a pattern with "/" matches the path relative to the folder (logs/**);
one without "/" matches any file or folder name along it (*.log, node_modules).

${EXIT_CODES_HELP}`,
    )
    .action(async (src: string, dst: string, flags: CpFlags) => {
      const settings = transferSettings(flags);
      const plan = await planCp(src, dst, flags);
      const dryRun = flags.dryRun === true || flags.dryrun === true;
      if (dryRun && (plan.kind === 'upload-stdin' || plan.kind === 'download-stdout'))
        throw new UsageError('--dry-run cannot be used with "-" (standard input or output).');
      if (dryRun) {
        await withSession(runtime, flags, {}, (s) => dryRunCp(s, plan, settings));
        return;
      }
      const resumable = plan.kind !== 'upload-stdin' && plan.kind !== 'download-stdout';
      await withSession(
        runtime,
        flags,
        { enableCrc: settings.crc64, ...(resumable ? { interruptHint: RESUME_HINT } : {}) },
        (s) => runCp(s, plan, settings),
      );
    });
}

async function runCp(s: Session, plan: CpPlan, settings: TransferSettings): Promise<number> {
  switch (plan.kind) {
    case 'download-stdout':
      await streamObject(s, plan.bucket, plan.key, settings.trafficLimit);
      return EXIT.ok;
    case 'upload-stdin':
      return uploadStdin(s, plan, settings);
    case 'upload-file':
    case 'upload-dir':
      return uploadFiles(s, plan, settings);
    default:
      return downloadObjects(s, plan, settings);
  }
}

async function uploadFiles(
  s: Session,
  plan: Extract<CpPlan, { kind: 'upload-file' | 'upload-dir' }>,
  settings: TransferSettings,
): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  if (plan.kind === 'upload-dir') {
    const result = await uploadFolder(
      s,
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
    return finishBatch(reporter, result, settings.failOutput);
  }
  const file = { path: plan.path, bucket: plan.bucket, key: plan.key, size: (await stat(plan.path)).size };
  const job = { source: plan.path, target: formatCosUrl(plan.bucket, plan.key), size: file.size };
  const result = await runOne(s, reporter, 'uploaded', job, (ctx) => uploadOne(s, file, settings, ctx));
  return finishBatch(reporter, result, settings.failOutput);
}

async function downloadObjects(
  s: Session,
  plan: Extract<CpPlan, { kind: 'download-file' | 'download-prefix' }>,
  settings: TransferSettings,
): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  if (plan.kind === 'download-prefix') {
    const folder = {
      bucket: plan.bucket,
      prefix: plan.prefix,
      dir: plan.dir,
      skipExisting: settings.skipExisting,
    };
    return finishBatch(reporter, await downloadFolder(s, folder, settings, reporter), settings.failOutput);
  }
  // Its size first, for the progress bar; a failure shows again (as this file's) in the run.
  const head = await s.client
    .headObject({ Bucket: plan.bucket, Key: plan.key, signal: s.signal })
    .catch(() => undefined);
  const job = {
    source: formatCosUrl(plan.bucket, plan.key),
    target: plan.dest,
    size: head?.['Content-Length'] ?? 0,
  };
  const result = await runOne(s, reporter, 'downloaded', job, (ctx) =>
    downloadOne(s, { bucket: plan.bucket, key: plan.key, dest: plan.dest }, settings, ctx),
  );
  return finishBatch(reporter, result, settings.failOutput);
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
      const head = await s.client.headObject({ Bucket: plan.bucket, Key: plan.key, signal: s.signal });
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
    default:
      throw new UsageError('--dry-run cannot be used with "-" (standard input or output).');
  }
  if (!s.flags.json && !s.flags.quiet) {
    const bytes = plannedBytes > 0 ? ` (${formatBytes(plannedBytes)})` : '';
    s.stderr.write(`dry run: ${planned} to copy${bytes}, ${skipped} unchanged; nothing changed\n`);
  }
  return s.signal.aborted ? EXIT.interrupted : EXIT.ok;
}
