/**
 * `coskit append LOCALFILE cos://bucket/key`: the SDK's `appendFile` (APPEND Object at the
 * object's current length in `--part-size` requests, CRC-64 checked, resumable without appending
 * anything twice), reported like a one-file upload.
 */
import { stat } from 'node:fs/promises';
import { contentTypeFromExtension, LIMITS } from '@coskit/protocol';
import type { Command } from 'commander';
import { formatCosUrl, parseObjectUrl } from '../cos-url.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
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
import { finishBatch } from '../transfer/finish.js';
import { runOne } from '../transfer/run.js';
import { UsageError } from '../usage-error.js';
import { RESUME_HINT } from './cp.js';

interface AppendPlan {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
}

export function registerAppend(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('append')
    .summary('append a local file to an appendable object')
    .description(
      prose(`Append a local file's bytes at the end of an appendable object (APPEND Object at its current
length), creating it when absent. Objects uploaded with PUT or multipart are not appendable; an
appendable object holds at most 5 GiB. Interrupted? Run the same command again: it checks the
object's length and CRC-64 and continues without appending anything twice.`),
    )
    .argument('<localfile>', 'the file whose bytes to append')
    .argument('<dst>', 'cos://bucket/key');
  addTransferOptions(cmd, {
    // APPEND Object takes no server-side encryption.
    encryption: false,
    threads: false,
    storageClass: false,
    standardHeaders: false,
    tags: false,
    failOutput: false,
    partSizeHelp: 'bytes per APPEND request, in MiB (16) or as a size (16M)',
  });
  addCommonOptions(cmd, { transfer: true });
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit append ./today.log cos://logs-1250000000/app.log
  $ coskit append ./chunk.bin cos://data-1250000000/stream.bin --rate-limit 10M

${EXIT_CODES_HELP}`,
    )
    .action(async (localFile: string, dst: string, flags: CommonFlags & TransferFlags) => {
      const settings = transferSettings(flags);
      const others = Object.keys(settings.headers);
      if (others.length > 0) {
        throw new UsageError(
          `append sets only Content-Type and x-cos-meta-* (with the append that creates the object); --meta names ${others.join(', ')}.`,
        );
      }
      const loc = parseObjectUrl(dst);
      const info = await stat(localFile).catch(() => undefined);
      if (!info) throw new UsageError(`"${localFile}" does not exist.`);
      if (!info.isFile()) throw new UsageError(`"${localFile}" is not a regular file.`);
      if (info.size > LIMITS.maxAppendableObjectSize) {
        throw new UsageError(`"${localFile}" is larger than the 5 GiB an appendable object may hold.`);
      }
      const plan: AppendPlan = { path: localFile, bucket: loc.bucket, key: loc.key };
      await withSession(
        runtime,
        flags,
        { enableCrc: settings.crc64, interruptHint: RESUME_HINT, bucket: loc.bucket },
        (s) => runAppend(s, plan, settings),
      );
    });
}

async function runAppend(s: Session, plan: AppendPlan, settings: TransferSettings): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const size = (await stat(plan.path)).size;
  const contentType = settings.contentType ?? contentTypeFromExtension(plan.path);
  const job = { source: plan.path, target: formatCosUrl(plan.bucket, plan.key), size };
  let length: number | undefined;
  const result = await runOne(s, reporter, 'uploaded', job, async (ctx) => {
    const r = await s.client.appendFile({
      Bucket: plan.bucket,
      Key: plan.key,
      LocalFilePath: plan.path,
      PartSize: settings.partSizeMiB,
      EnableCRC: settings.crc64,
      CheckpointDir: settings.checkpointDir,
      ProgressInterval: 100,
      signal: ctx.signal,
      onProgress: (consumed) => ctx.progress(consumed),
      onResume: (reused) => ctx.resumed(reused),
      ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
      ...(contentType ? { ContentType: contentType } : {}),
      ...(settings.metadata ? { Metadata: settings.metadata } : {}),
      ...(settings.acl ? { ACL: settings.acl } : {}),
    });
    length = r['x-cos-next-append-position'];
    return {
      status: 'uploaded',
      bytesSent: r.bytesSent,
      etag: r.ETag,
      crc64: r['x-cos-hash-crc64ecma'],
      resumed: r.resumed,
    };
  });
  if (length !== undefined)
    reporter.info(`length: ${job.target} is now ${length} bytes (${formatBytes(length)})`);
  return finishBatch(reporter, result, undefined);
}
