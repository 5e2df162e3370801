/**
 * `downloadFile`: the COS Python SDK's `download_file`. An object up to `PartSize` is one GET;
 * above it, ranged GETs of `PartSize` each, `MAXThread` in flight on the worker pool, each streamed
 * to its offset in `<DestFilePath>.coskit-partial` (memory: a few 256 KiB chunks per range, never
 * a whole part). Every range carries `If-Match: <ETag>`, so an object replaced meanwhile fails
 * (COS_OBJECT_CHANGED) instead of mixing two versions. Finished ranges are checkpointed with their
 * CRC-64, so an interrupted download resumes; the whole file's CRC-64 (combined from the ranges,
 * no second read) is checked against the object's before the file is renamed into place.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Crc64 } from '@coskit/protocol';
import { CosClientError } from '../errors.js';
import { type SseCustomerKeyParams, sseCustomerOf } from '../operations/common.js';
import type { HeadObjectResult } from '../operations/object-read.js';
import { checkWholeCrc64, combineCrc64 } from '../transfer/crc-parts.js';
import { partsToSend, planParts } from '../transfer/part-plan.js';
import { runPool } from '../transfer/pool.js';
import { ProgressTracker } from '../transfer/progress.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { type TransferBaseOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { backoffMs } from '../transport/retry.js';
import { requireLocalPath, transferOptions } from '../validation.js';
import {
  CheckpointWriter,
  checkpointPath,
  type DownloadCheckpoint,
  defaultCheckpointDir,
  loadDownloadCheckpoint,
  removeCheckpoint,
} from './checkpoint.js';
import { crc64OfFile } from './file-slice.js';

const MiB = 1024 * 1024;

/** `SSECustomer*`: the key of an SSE-C object, sent with the HEAD and every ranged GET. */
export interface DownloadFileParams extends TransferBaseOptions, SseCustomerKeyParams {
  Bucket: string;
  Key: string;
  /** Local file to write (its folder is created). Written under `<name>.coskit-partial`, renamed at the end. */
  DestFilePath: string;
  /** Folder of checkpoint files. Default `~/.coskit/checkpoints`. */
  CheckpointDir?: string;
  /**
   * Leave `DestFilePath` alone when it already has the object's size and CRC-64; the result then
   * has `skipped: true`. Default false.
   */
  SkipExisting?: boolean;
  /**
   * `false`: never replace an existing `DestFilePath` — it is left alone whatever it holds and
   * the result has `skipped: true`, `skipReason: 'exists'` (the CLI's `--no-clobber`). Default true.
   */
  Overwrite?: boolean;
}

export interface DownloadFileResult {
  Bucket: string;
  Key: string;
  /** The object's ETag (every range was fetched with If-Match on it). */
  ETag: string;
  /** CRC-64 of the object (decimal): the server's, already checked against the bytes written. */
  'x-cos-hash-crc64ecma'?: string | undefined;
  /** Bytes of the object. */
  size: number;
  /** Bytes this call received (less than `size` when it resumed). */
  bytesReceived: number;
  /** True when ranges of an interrupted earlier call were kept. */
  resumed: boolean;
  /** True when nothing was received: `SkipExisting` found the file equal, or `Overwrite: false` found one. */
  skipped?: boolean;
  /** Why it was skipped: `same` (size and CRC-64) or `exists` (Overwrite: false). */
  skipReason?: 'same' | 'exists';
}

/** Downloads one object to a local file (see the module comment). `host` keys the checkpoint. */
export async function downloadFile(
  client: TransferClient<Readable>,
  host: string,
  params: DownloadFileParams,
): Promise<DownloadFileResult> {
  params = transferOptions(params);
  requireLocalPath('DestFilePath', params.DestFilePath, 'the local file to write');
  const { Bucket, Key, signal } = params;
  const call = signal ? { signal } : {};
  // The signal fans out to every range request: many listeners are expected.
  if (signal) setMaxListeners(0, signal);
  const sse = sseCustomerOf(params);
  const head: HeadObjectResult = await client.headObject({ Bucket, Key, ...sse, ...call });
  const size = head['Content-Length'];
  const etag = head.ETag;
  const remoteCrc = head['x-cos-hash-crc64ecma'];
  const dest = resolve(params.DestFilePath);
  const base = { Bucket, Key, ETag: etag, 'x-cos-hash-crc64ecma': remoteCrc, size };
  if (params.Overwrite === false && (await stat(dest).catch(() => undefined)) !== undefined) {
    params.onProgress?.(size, size);
    return { ...base, bytesReceived: 0, resumed: false, skipped: true, skipReason: 'exists' };
  }
  if (params.SkipExisting && (await localFileEquals(dest, head, signal))) {
    params.onProgress?.(size, size);
    return { ...base, bytesReceived: 0, resumed: false, skipped: true, skipReason: 'same' };
  }
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.coskit-partial`;
  const plan = planParts(size, (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB);
  const ranged = size > plan.partSize;
  const cpPath = checkpointPath(
    params.CheckpointDir ?? defaultCheckpointDir(),
    'download',
    host,
    Bucket,
    Key,
    dest,
  );
  let checkpoint = ranged ? await loadDownloadCheckpoint(cpPath) : undefined;
  if (
    checkpoint &&
    (checkpoint.etag !== etag ||
      checkpoint.size !== size ||
      checkpoint.partSize !== plan.partSize ||
      (await stat(partial).catch(() => undefined))?.size !== size)
  ) {
    checkpoint = undefined;
  }
  const done = new Map<number, { crc64: string; size: number }>(
    Object.entries(checkpoint?.parts ?? {}).map(([n, p]) => [Number(n), p]),
  );
  const progress = new ProgressTracker(
    size,
    params.onProgress,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const reused = [...done.values()].reduce((sum, p) => sum + p.size, 0);
  if (reused > 0) params.onResume?.(reused, size);
  for (const p of done.values()) progress.alreadyDone(p.size);
  const resumed = done.size > 0;
  let received = 0;

  const handle = await open(partial, checkpoint ? 'r+' : 'w');
  try {
    if (!checkpoint) await handle.truncate(size);
    const writer = new CheckpointWriter<DownloadCheckpoint>(cpPath);
    const snapshot = (): DownloadCheckpoint => ({
      version: 1,
      kind: 'download',
      host,
      bucket: Bucket,
      key: Key,
      filePath: dest,
      partSize: plan.partSize,
      etag,
      size,
      partCount: plan.partCount,
      parts: Object.fromEntries([...done].map(([n, p]) => [String(n), p])),
    });
    if (ranged) await writer.save(snapshot());

    const policy = client.config.retry;
    /**
     * Streams one range to its offset. A failure before the answer's headers was already retried
     * by the transport; a body cut after them (which the transport has handed over) is continued
     * from the byte where it stopped, with the transport's backoff and attempt count.
     */
    const fetchRange = async (part: { partNumber: number; start: number; end: number }): Promise<void> => {
      const crc = new Crc64();
      let got = 0;
      const length = part.end - part.start;
      for (let attempt = 1; ; attempt++) {
        let body: AsyncIterable<unknown>;
        try {
          // Failures up to the answer's headers: the transport has retried them already.
          body = (
            await client.getObject({
              Bucket,
              Key,
              ...sse,
              ...call,
              ...(etag ? { IfMatch: etag } : {}),
              ...(params.TrafficLimit !== undefined ? { TrafficLimit: params.TrafficLimit } : {}),
              ...(ranged || got > 0 ? { Range: `bytes=${part.start + got}-${part.end - 1}` } : {}),
            })
          ).Body;
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 412) throw changedError(Key, err);
          throw err;
        }
        try {
          for await (const chunk of body) {
            const bytes = chunk as Buffer;
            if (got + bytes.length > length)
              throw new CosClientError(
                'COS_MALFORMED_RESPONSE',
                'the answer carries more bytes than asked for',
              );
            await handle.write(bytes, 0, bytes.length, part.start + got);
            crc.update(bytes);
            got += bytes.length;
            received += bytes.length;
            progress.sent(bytes.length);
          }
          if (got !== length) {
            throw new CosClientError('COS_NETWORK', `the body ended after ${got} of ${length} bytes`);
          }
          break;
        } catch (err) {
          const code = (err as { code?: string }).code;
          // A connection lost mid-body surfaces as Node's 'aborted' (ECONNRESET) on the stream.
          const cut = code === 'COS_NETWORK' || code === 'COS_TIMEOUT' || code === 'ECONNRESET';
          if (!cut || signal?.aborted || attempt >= policy.maxAttempts) throw err;
          await sleep(backoffMs(policy, attempt), undefined, call).catch(() => {});
        }
      }
      done.set(part.partNumber, { crc64: crc.digestDecimal(), size: length });
      if (ranged) {
        await handle.datasync();
        await writer.save(snapshot());
      }
    };

    await runPool(
      partsToSend(plan, (n) => done.has(n)),
      { workers: Math.min(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, plan.partCount), signal },
      fetchRange,
    );
    const localCrc = combineCrc64([...done].sort((a, b) => a[0] - b[0]).map(([, p]) => p));
    if (params.EnableCRC ?? true) {
      try {
        checkWholeCrc64(localCrc, remoteCrc, `the downloaded ${Key} (run again to download it afresh)`);
      } catch (err) {
        await removeCheckpoint(cpPath);
        await rm(partial, { force: true });
        throw err;
      }
    }
    await handle.close();
    await rename(partial, dest);
    await removeCheckpoint(cpPath);
    progress.finish();
    return { ...base, 'x-cos-hash-crc64ecma': remoteCrc ?? localCrc, bytesReceived: received, resumed };
  } catch (err) {
    if ((err as { code?: string }).code === 'COS_OBJECT_CHANGED') {
      await removeCheckpoint(cpPath);
      await rm(partial, { force: true });
    } else if (!ranged) {
      await rm(partial, { force: true });
    }
    throw err;
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * The one download skip check: the local file has the object's size and CRC-64 (read only when the
 * sizes match). False when the object has no CRC-64 to compare with.
 */
export async function localFileEquals(
  path: string,
  head: Pick<HeadObjectResult, 'Content-Length' | 'x-cos-hash-crc64ecma'>,
  signal?: AbortSignal,
): Promise<boolean> {
  const remoteCrc = head['x-cos-hash-crc64ecma'];
  if (remoteCrc === undefined) return false;
  const local = await stat(path).catch(() => undefined);
  return (
    !!local?.isFile() &&
    local.size === head['Content-Length'] &&
    (await crc64OfFile(path, signal)) === remoteCrc
  );
}

function changedError(key: string, cause: unknown): CosClientError {
  return new CosClientError(
    'COS_OBJECT_CHANGED',
    `cos object ${key} changed during the download (412 PreconditionFailed on If-Match); run again to download the new version`,
    { cause },
  );
}
