/** `coskit sync LOCAL cos://bucket/prefix/`: upload what is new or changed; optionally delete the rest. */
import { stat } from 'node:fs/promises';
import { pathFilter } from '@coskit/client';
import type { Command } from 'commander';
import { folderPrefix, formatCosUrl, isCosUrl, parseCosUrl } from '../cos-url.js';
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
import type { FileDone } from '../output/reporter.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { deleteKeys } from '../transfer/delete-keys.js';
import { finishBatch } from '../transfer/finish.js';
import { listAllObjects } from '../transfer/listing.js';
import { uploadFolder } from '../transfer/upload.js';
import { UsageError } from '../usage-error.js';
import { RESUME_HINT } from './cp.js';

interface SyncFlags extends CommonFlags, TransferFlags {
  delete?: boolean;
  dryRun?: boolean;
}

interface SyncPlan {
  readonly dir: string;
  readonly bucket: string;
  readonly prefix: string;
}

async function planSync(local: string, remote: string): Promise<SyncPlan> {
  if (isCosUrl(local) || !isCosUrl(remote)) {
    throw new UsageError(
      `sync uploads a local folder to a COS prefix: coskit sync <folder> cos://<bucket>/<prefix>/; got "${local}" "${remote}".`,
    );
  }
  const to = parseCosUrl(remote);
  const info = await stat(local).catch(() => undefined);
  if (!info) throw new UsageError(`"${local}" does not exist.`);
  if (!info.isDirectory()) throw new UsageError(`"${local}" is not a folder; use coskit cp for one file.`);
  return { dir: local, bucket: to.bucket, prefix: folderPrefix(to.key) };
}

export function registerSync(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('sync')
    .summary('upload only what is new or changed in a folder')
    .description(
      prose(`Make cos://bucket/prefix/ hold the files of a local folder: upload the files that are missing or
differ (by size, then CRC-64 — no timestamps involved), leave equal ones alone, and with --delete
remove objects under the prefix that have no local file. Excluded paths are neither uploaded nor
deleted; folder markers (keys ending in "/") are kept.`),
    )
    .argument('<local>', 'local folder')
    .argument('<remote>', 'cos://bucket/prefix/')
    .option('--delete', 'delete objects under the prefix that have no local file')
    .option('--dry-run', 'print what would be uploaded and deleted; change nothing');
  addTransferOptions(cmd, { folders: true, skipExisting: false });
  addCommonOptions(cmd, { transfer: true });
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit sync ./site cos://web-1250000000/ --delete
  $ coskit sync ./photos cos://media-1250000000/photos/ --exclude .DS_Store
  $ coskit sync ./photos cos://media-1250000000/photos/ --delete --dry-run
  $ coskit sync ./data cos://bak-1250000000/data/ --files 32 --json

${EXIT_CODES_HELP}`,
    )
    .action(async (local: string, remote: string, flags: SyncFlags) => {
      const settings = transferSettings(flags);
      const plan = await planSync(local, remote);
      await withSession(runtime, flags, { enableCrc: settings.crc64, interruptHint: RESUME_HINT }, (s) =>
        runSync(s, plan, settings, flags),
      );
    });
}

/** Keys under the prefix that no local file maps to (and that the filters select): --delete's. */
async function doomedKeys(
  s: Session,
  plan: SyncPlan,
  settings: TransferSettings,
  local: ReadonlySet<string>,
) {
  const keep = pathFilter(settings.include, settings.exclude);
  const doomed: string[] = [];
  for await (const o of listAllObjects(s.client, plan.bucket, plan.prefix, s.signal)) {
    if (!o.key.endsWith('/') && !local.has(o.key) && keep(o.key.slice(plan.prefix.length)))
      doomed.push(o.key);
  }
  return doomed;
}

async function runSync(
  s: Session,
  plan: SyncPlan,
  settings: TransferSettings,
  flags: SyncFlags,
): Promise<number> {
  const folder = { dir: plan.dir, bucket: plan.bucket, prefix: plan.prefix, skipExisting: true };
  if (flags.dryRun) return dryRun(s, folder, plan, settings, flags.delete ?? false);
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const result = await uploadFolder(s, folder, settings, reporter);
  const deleteFailures: FileDone[] = [];
  let deleted = 0;
  if (flags.delete && !result.interrupted && result.fatal === undefined) {
    const doomed = await doomedKeys(s, plan, settings, result.keys);
    await deleteKeys(s, plan.bucket, doomed, {
      onDeleted: (key) => {
        deleted++;
        reporter.removed(formatCosUrl(plan.bucket, key));
      },
      onFailed: (key, code, message) => {
        const entry: FileDone = {
          source: formatCosUrl(plan.bucket, key),
          target: '(delete)',
          size: 0,
          status: 'failed',
          error: `${code}: ${message}`,
          code,
          ms: 0,
        };
        deleteFailures.push(entry);
        reporter.fileDone(entry);
      },
    });
  }
  return finishBatch(
    reporter,
    { ...result, interrupted: result.interrupted || s.signal.aborted },
    settings.failOutput,
    {
      ...(flags.delete ? { deleted } : {}),
      extraFailures: deleteFailures,
    },
  );
}

/** --dry-run: the SDK's DryRun decides (the same skip check as a real run); nothing is changed. */
async function dryRun(
  s: Session,
  folder: Parameters<typeof uploadFolder>[1],
  plan: SyncPlan,
  settings: TransferSettings,
  withDelete: boolean,
): Promise<number> {
  let uploads = 0;
  const silent = createReporter({ quiet: true }, s.stdout, s.stderr);
  const result = await uploadFolder(
    s,
    {
      ...folder,
      dryRun: ({ path, target, reason }) => {
        uploads++;
        if (s.flags.json)
          s.stdout.write(`${JSON.stringify({ event: 'would-upload', source: path, target, reason })}\n`);
        else s.stdout.write(`would upload: ${path} -> ${target} (${reason})\n`);
      },
    },
    settings,
    silent,
  );
  if (result.fatal !== undefined) throw result.fatal;
  const doomed = withDelete ? await doomedKeys(s, plan, settings, result.keys) : [];
  for (const key of doomed) {
    const target = formatCosUrl(plan.bucket, key);
    if (s.flags.json) s.stdout.write(`${JSON.stringify({ event: 'would-delete', target })}\n`);
    else s.stdout.write(`would delete: ${target}\n`);
  }
  if (!s.flags.json && !s.flags.quiet)
    s.stderr.write(
      `dry run: ${uploads} to upload, ${result.summary.skipped} unchanged, ${doomed.length} to delete; nothing changed\n`,
    );
  return result.interrupted ? EXIT.interrupted : EXIT.ok;
}
