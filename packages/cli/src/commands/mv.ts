/**
 * `coskit mv SRC DST`: `cp`, then the source of every file or object that arrived — and was
 * checked — is deleted: a local file after its upload's CRC-64 matched, an object after its
 * download's CRC-64 matched or after its server-side copy's CRC-64 matched the source's. A file
 * that failed keeps its source. CRC-64 checks cannot be turned off here.
 */
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatCosUrl, parseCosUrl } from '../cos-url.js';
import { describeError, errorCodeOf } from '../errors.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions } from '../options/common.js';
import { addTransferOptions, type TransferSettings, transferSettings } from '../options/transfer.js';
import { prose } from '../output/help.js';
import { createReporter } from '../output/index.js';
import type { FileDone, Reporter } from '../output/reporter.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { deleteKeys } from '../transfer/delete-keys.js';
import { finishBatch } from '../transfer/finish.js';
import type { BatchResult } from '../transfer/run.js';
import { UsageError } from '../usage-error.js';
import {
  type CpFlags,
  checkCopySourceKey,
  type FilePlan,
  planBuckets,
  planCp,
  RESUME_HINT,
  transferPlan,
} from './cp.js';

export function registerMv(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('mv')
    .summary('move files or objects: copy, check, then delete the source')
    .description(
      prose(`Move a local file or folder to COS, an object or prefix from COS, or objects within COS (copied
on the server). Each source is deleted only after its copy arrived and its CRC-64 matched; a file
that failed keeps its source. Same forms as coskit cp, without "-".`),
    )
    .argument('<src>', 'local path or cos://bucket/key')
    .argument('<dst>', 'cos://bucket/key or local path')
    .option('-r, --recursive', 'move a folder, or every object under a prefix');
  addTransferOptions(cmd, { folders: true, noClobber: true, copySource: true });
  addCommonOptions(cmd, { transfer: true });
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit mv ./report.pdf cos://docs-1250000000/2026/
  $ coskit mv cos://inbox-1250000000/a.csv cos://done-1250000000/a.csv
  $ coskit mv -r ./outbox cos://drop-1250000000/in/ --exclude '*.tmp'
  $ coskit mv -r cos://logs-1250000000/2025/ ./archive/2025

${EXIT_CODES_HELP}`,
    )
    .action(async (src: string, dst: string, flags: CpFlags) => {
      if (src === '-' || dst === '-')
        throw new UsageError('mv cannot move standard input or output; use coskit cp with "-".');
      if (flags.crc64 === false)
        throw new UsageError('mv deletes each source only after its CRC-64 matched: drop --no-crc64.');
      const settings = transferSettings(flags);
      const plan = (await planCp(src, dst, flags)) as FilePlan;
      checkCopySourceKey(plan, settings);
      await withSession(
        runtime,
        flags,
        { enableCrc: true, interruptHint: RESUME_HINT, ...planBuckets(plan) },
        (s) => runMv(s, plan, settings),
      );
    });
}

async function runMv(s: Session, plan: FilePlan, settings: TransferSettings): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const result = await transferPlan(s, plan, settings, reporter);
  if (result.interrupted || result.fatal !== undefined)
    return finishBatch(reporter, result, settings.failOutput);
  const failures: FileDone[] = [];
  const deleted = await deleteSources(s, plan, result, reporter, failures);
  return finishBatch(reporter, result, settings.failOutput, { deleted, extraFailures: failures });
}

/**
 * Deletes the source of every file that arrived (transferred, or skipped because the destination
 * already equals it); not of one skipped by --no-clobber, which did not arrive.
 */
async function deleteSources(
  s: Session,
  plan: FilePlan,
  result: BatchResult,
  reporter: Reporter,
  failures: FileDone[],
): Promise<number> {
  const arrived = result.done.filter((d) => d.status !== 'skipped' || !d.reason?.includes('--no-clobber'));
  const failed = (source: string, err: unknown, code?: string) => {
    const entry: FileDone = {
      source,
      target: '(delete)',
      size: 0,
      status: 'failed',
      error: typeof err === 'string' ? err : describeError(err, s.conn),
      code: code ?? errorCodeOf(err),
      ms: 0,
    };
    failures.push(entry);
    reporter.fileDone(entry);
  };
  let deleted = 0;
  if (plan.kind === 'upload-file' || plan.kind === 'upload-dir') {
    for (const d of arrived) {
      try {
        await rm(d.source);
        deleted++;
        reporter.removed(d.source);
      } catch (err) {
        failed(d.source, err);
      }
    }
    return deleted;
  }
  // Downloads and copies: sources are objects, deleted 1000 a request.
  const byBucket = new Map<string, string[]>();
  for (const d of arrived) {
    const loc = parseCosUrl(d.source);
    byBucket.set(loc.bucket, [...(byBucket.get(loc.bucket) ?? []), loc.key]);
  }
  for (const [bucket, keys] of byBucket) {
    await deleteKeys(s, bucket, keys, {
      onDeleted: (key) => {
        deleted++;
        reporter.removed(formatCosUrl(bucket, key));
      },
      onFailed: (key, code, message) => failed(formatCosUrl(bucket, key), `${code}: ${message}`, code),
    });
  }
  return deleted;
}
