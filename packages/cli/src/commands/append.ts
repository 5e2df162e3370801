/**
 * `coskit append LOCALFILE cos://bucket/key`: APPEND Object at the object's current length
 * (creating an appendable object if there is none), in `--part-size` requests. Each request's
 * CRC-64 answer is checked against the expected whole-object CRC-64, and progress is checkpointed:
 * after an interruption the same command continues where the object ends — once it has checked
 * that the object holds exactly what this file appended, so nothing is appended twice.
 */
import { open, stat } from 'node:fs/promises';
import { CosClientError, type CosS3Client } from '@coskit/client';
import { crc64, crc64Combine, crc64ToDecimal, LIMITS, parseCrc64Decimal } from '@coskit/protocol';
import type { Command } from 'commander';
import { formatCosUrl, parseObjectUrl } from '../cos-url.js';
import { describeError } from '../errors.js';
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
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { type JobContext, type Outcome, runBatch } from '../transfer/batch.js';
import { finishBatch } from '../transfer/finish.js';
import { guessContentType } from '../transfer/mime.js';
import { readState, removeState, statePath, writeState } from '../transfer/state-file.js';
import { UsageError } from '../usage-error.js';
import { RESUME_HINT } from './cp.js';

const MiB = 1024 * 1024;

interface AppendPlan {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
}

interface AppendState {
  readonly version: 1;
  readonly file: { readonly size: number; readonly mtimeMs: number; readonly ino: number };
  readonly chunkSize: number;
  /** The object's length when this file's first byte was appended. */
  readonly start: number;
  /** Bytes of the file appended and acknowledged. */
  readonly appended: number;
  /** The object's CRC-64 after them (decimal), when the server gave one. */
  readonly crc64: string | undefined;
}

function isAppendState(v: unknown): v is AppendState {
  const s = v as Partial<AppendState> | null;
  return (
    !!s &&
    s.version === 1 &&
    typeof s.file === 'object' &&
    typeof s.chunkSize === 'number' &&
    typeof s.start === 'number' &&
    typeof s.appended === 'number'
  );
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
    threads: false,
    storageClass: false,
    failOutput: false,
    partSizeHelp: 'bytes per APPEND request, in MiB (16) or as a size (16M)',
  });
  addCommonOptions(cmd);
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
      const loc = parseObjectUrl(dst);
      const info = await stat(localFile).catch(() => undefined);
      if (!info) throw new UsageError(`"${localFile}" does not exist.`);
      if (!info.isFile()) throw new UsageError(`"${localFile}" is not a regular file.`);
      if (info.size > LIMITS.maxAppendableObjectSize) {
        throw new UsageError(`"${localFile}" is larger than the 5 GiB an appendable object may hold.`);
      }
      const plan: AppendPlan = { path: localFile, bucket: loc.bucket, key: loc.key };
      await withSession(runtime, flags, { enableCrc: settings.crc64, interruptHint: RESUME_HINT }, (s) =>
        runAppend(s, plan, settings),
      );
    });
}

async function runAppend(s: Session, plan: AppendPlan, settings: TransferSettings): Promise<number> {
  const reporter = createReporter(s.flags, s.stdout, s.stderr);
  const size = (await stat(plan.path)).size;
  const result = await runBatch(
    [{ source: plan.path, target: formatCosUrl(plan.bucket, plan.key), size }],
    {
      action: 'uploaded',
      files: 1,
      heavySlots: 1,
      signal: s.signal,
      reporter,
      describe: (err) => describeError(err, s.conn),
    },
    (_job, ctx) => appendFile(s.client, s.client.endpointId, plan, settings, ctx),
  );
  return finishBatch(reporter, result, undefined);
}

interface RemoteState {
  readonly length: number;
  readonly crc64: string | undefined;
  readonly exists: boolean;
}

async function remoteState(client: CosS3Client, plan: AppendPlan, signal: AbortSignal): Promise<RemoteState> {
  try {
    const head = await client.headObject({ Bucket: plan.bucket, Key: plan.key, signal });
    if (head['x-cos-object-type'] !== 'appendable') {
      throw new CosClientError(
        'COS_NOT_APPENDABLE',
        `${formatCosUrl(plan.bucket, plan.key)} exists and is not appendable (it was uploaded with PUT or multipart); append to another key, or remove it first`,
      );
    }
    return { length: head['Content-Length'], crc64: head['x-cos-hash-crc64ecma'], exists: true };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { length: 0, crc64: '0', exists: false };
    throw err;
  }
}

function combine(crc: string | undefined, chunk: Buffer): string | undefined {
  if (crc === undefined) return undefined;
  const base = parseCrc64Decimal(crc);
  return base === undefined ? undefined : crc64ToDecimal(crc64Combine(base, crc64(chunk), chunk.length));
}

async function appendFile(
  client: CosS3Client,
  endpointId: string,
  plan: AppendPlan,
  settings: TransferSettings,
  ctx: JobContext,
): Promise<Outcome> {
  const { signal } = ctx;
  const file = await open(plan.path, 'r');
  try {
    const info = await file.stat();
    const identity = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
    const chunkSize = settings.partSizeMiB * MiB;
    const cpPath = statePath(settings.checkpointDir, 'append', [
      endpointId,
      plan.bucket,
      plan.key,
      plan.path,
    ]);
    const read = async (offset: number) => {
      const length = Math.min(chunkSize, identity.size - offset);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new Error(`"${plan.path}" shrank while appending it`);
      return buffer;
    };

    const remote = await remoteState(client, plan, signal);
    let saved = await readState(cpPath, isAppendState);
    if (
      saved &&
      (saved.chunkSize !== chunkSize ||
        saved.file.size !== identity.size ||
        saved.file.mtimeMs !== identity.mtimeMs ||
        saved.file.ino !== identity.ino)
    ) {
      saved = undefined;
    }
    let start = remote.length;
    let appended = 0;
    let crc = remote.crc64;
    if (saved) {
      const expected = saved.start + saved.appended;
      const sameCrc = (value: string | undefined) =>
        value === undefined || remote.crc64 === undefined || value === remote.crc64;
      if (remote.length === expected && sameCrc(saved.crc64)) {
        ({ start, appended } = saved);
        crc = remote.crc64 ?? saved.crc64;
      } else if (saved.appended < identity.size && remote.length > expected) {
        // The last request may have landed without its answer (or the checkpoint) arriving.
        const chunk = await read(saved.appended);
        if (remote.length === expected + chunk.length && sameCrc(combine(saved.crc64, chunk))) {
          start = saved.start;
          appended = saved.appended + chunk.length;
          crc = remote.crc64;
        } else saved = undefined;
      } else saved = undefined;
      if (!saved) {
        await removeState(cpPath);
        throw new CosClientError(
          'COS_OBJECT_CHANGED',
          `the object changed since the interrupted append of this file (it is ${remote.length} bytes, not ${expected}); not resuming. The checkpoint is removed: run again to append the whole file at the object's current length`,
        );
      }
    }
    if (start + identity.size > LIMITS.maxAppendableObjectSize) {
      throw new CosClientError(
        'COS_INVALID_ARGUMENT',
        `appending ${identity.size} bytes to an object of ${start} would pass the 5 GiB limit of appendable objects`,
      );
    }
    const resumed = appended > 0;
    let sent = 0;
    ctx.progress(appended);
    const contentType = settings.contentType ?? guessContentType(plan.path);
    const save = () =>
      writeState(cpPath, {
        version: 1,
        file: identity,
        chunkSize,
        start,
        appended,
        crc64: crc,
      } satisfies AppendState);
    await save();
    let first = !remote.exists;
    let etag = '';
    while (appended < identity.size || first) {
      signal.throwIfAborted();
      const chunk = await read(appended);
      const position = start + appended;
      const expectedCrc = combine(crc, chunk);
      let chunkSent = 0;
      let answerCrc: string | undefined;
      try {
        const r = await client.appendObject({
          Bucket: plan.bucket,
          Key: plan.key,
          Position: position,
          Data: chunk,
          signal,
          onUploadProgress: (n) => {
            chunkSent += n;
            ctx.progress(appended + Math.min(chunkSent, chunk.length));
          },
          ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
          ...(position === 0 && contentType ? { ContentType: contentType } : {}),
          ...(position === 0 && settings.metadata ? { Metadata: settings.metadata } : {}),
          ...(position === 0 && settings.acl ? { ACL: settings.acl } : {}),
        });
        answerCrc = r['x-cos-hash-crc64ecma'];
        etag = r.ETag;
      } catch (err) {
        // A retried request whose first attempt landed: the object already ends with this chunk.
        if ((err as { errorCode?: string }).errorCode !== 'AppendPositionErr') throw err;
        const now = await remoteState(client, plan, signal);
        const landed =
          now.length === position + chunk.length &&
          (expectedCrc === undefined || now.crc64 === undefined || now.crc64 === expectedCrc);
        if (!landed) throw err;
        answerCrc = now.crc64;
      }
      if (
        settings.crc64 &&
        answerCrc !== undefined &&
        expectedCrc !== undefined &&
        answerCrc !== expectedCrc
      ) {
        throw new CosClientError(
          'COS_CHECKSUM_MISMATCH',
          `after appending at ${position} the object's CRC-64 is ${answerCrc}, not the expected ${expectedCrc}`,
        );
      }
      sent += chunk.length;
      appended += chunk.length;
      crc = answerCrc ?? expectedCrc;
      first = false;
      await save();
    }
    await removeState(cpPath);
    return { status: 'uploaded', bytesSent: sent, etag, crc64: crc, resumed };
  } finally {
    await file.close();
  }
}
