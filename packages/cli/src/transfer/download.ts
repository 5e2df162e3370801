/**
 * One object to one local file. Up to `--part-size` it is one GET; above, ranged GETs of
 * `--part-size` each, `--threads` in flight, written at their offsets into `<file>.coskit-partial`.
 * Every range carries `If-Match: <ETag>`, so an object replaced meanwhile fails instead of mixing
 * two versions. The finished ranges (with their CRC-64) are checkpointed, so an interrupted
 * download resumes; the whole file's CRC-64 (combined from the ranges, no second read) is checked
 * against the object's before the file is renamed into place.
 */
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { CosClientError, type CosS3Client, type HeadObjectResult } from '@coskit/client';
import { Crc64, crc64Combine, crc64ToDecimal, parseCrc64Decimal } from '@coskit/protocol';
import type { TransferSettings } from '../options/transfer.js';
import type { Job, JobContext, Outcome } from './batch.js';
import { fileCrc64 } from './local-files.js';
import { readState, removeState, StateWriter, statePath } from './state-file.js';

const MiB = 1024 * 1024;
const ATTEMPTS = 3;

export interface DownloadJob extends Job {
  readonly bucket: string;
  readonly key: string;
  /** Local file to write. */
  readonly dest: string;
}

interface DownloadState {
  readonly version: 1;
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly chunkSize: number;
  /** Chunk index → CRC-64 (decimal) of the bytes written. */
  readonly chunks: Record<string, string>;
}

function isDownloadState(v: unknown): v is DownloadState {
  const s = v as Partial<DownloadState> | null;
  return (
    !!s &&
    s.version === 1 &&
    typeof s.etag === 'string' &&
    typeof s.size === 'number' &&
    typeof s.chunkSize === 'number' &&
    typeof s.chunks === 'object' &&
    s.chunks !== null
  );
}

/** No byte for this long on a response body: the connection is considered dead and the range retried. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Reads a response body, stopping it when `signal` aborts or it stalls (the SDK lets go of its
 * signal and timeout once the headers of a streamed response arrive).
 */
async function drain(
  body: Readable,
  signal: AbortSignal,
  onChunk: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const onAbort = () => body.destroy(new CosClientError('COS_ABORTED', 'the request was cancelled'));
  const stalled = () =>
    body.destroy(
      new CosClientError('COS_TIMEOUT', `no bytes for ${IDLE_TIMEOUT_MS / 1000} s while downloading`),
    );
  let timer = setTimeout(stalled, IDLE_TIMEOUT_MS);
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of body) {
      clearTimeout(timer);
      await onChunk(chunk as Buffer);
      timer = setTimeout(stalled, IDLE_TIMEOUT_MS);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function retryable(err: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return false;
  const e = err as { statusCode?: number; code?: string };
  if (typeof e.statusCode === 'number') return e.statusCode >= 500;
  return e.code !== 'COS_ABORTED' && e.code !== 'COS_CHECKSUM_MISMATCH' && e.code !== 'COS_INVALID_ARGUMENT';
}

function changedError(key: string, cause: unknown): CosClientError {
  return new CosClientError(
    'COS_OBJECT_CHANGED',
    `cos object ${key} changed during the download (412 PreconditionFailed on If-Match); run again to download the new version`,
    { cause },
  );
}

export interface DownloadContext extends JobContext {
  /** Identifies the endpoint in checkpoint names. */
  readonly endpointId: string;
  /** The object's HEAD when the caller already has it. */
  readonly head?: HeadObjectResult;
}

export async function downloadOne(
  client: CosS3Client,
  job: DownloadJob,
  settings: TransferSettings,
  ctx: DownloadContext,
): Promise<Outcome> {
  const { signal } = ctx;
  const head = ctx.head ?? (await client.headObject({ Bucket: job.bucket, Key: job.key, signal }));
  const size = head['Content-Length'];
  const etag = head.ETag;
  const remoteCrc = head['x-cos-hash-crc64ecma'];
  if (settings.skipExisting && remoteCrc !== undefined) {
    const local = await stat(job.dest).catch(() => undefined);
    if (local?.isFile() && local.size === size && (await fileCrc64(job.dest, signal)) === remoteCrc) {
      return { status: 'skipped', bytesSent: 0, reason: 'same size and CRC-64', etag, crc64: remoteCrc };
    }
  }
  await mkdir(dirname(job.dest), { recursive: true });
  const partial = `${job.dest}.coskit-partial`;
  const chunkSize = settings.partSizeMiB * MiB;
  const common = {
    Bucket: job.bucket,
    Key: job.key,
    signal,
    ...(etag ? { IfMatch: etag } : {}),
    ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
  };
  const cpPath = statePath(settings.checkpointDir, 'download', [
    ctx.endpointId,
    job.bucket,
    job.key,
    job.dest,
  ]);
  let state = await readState(cpPath, isDownloadState);
  if (state && (state.etag !== etag || state.size !== size || state.chunkSize !== chunkSize))
    state = undefined;
  if (state && (await stat(partial).catch(() => undefined))?.size !== size) state = undefined;
  const chunkCount = size <= chunkSize ? 1 : Math.ceil(size / chunkSize);
  const chunks = new Map<number, string>(
    Object.entries(state?.chunks ?? {}).map(([i, crc]) => [Number(i), crc] as [number, string]),
  );
  const lengthOf = (i: number) => Math.min(size, (i + 1) * chunkSize) - i * chunkSize;
  let moved = 0;
  for (const i of chunks.keys()) moved += lengthOf(i);
  const alreadyDone = moved;
  ctx.progress(moved);

  const handle = await open(partial, state ? 'r+' : 'w');
  let received = 0;
  try {
    if (!state) await handle.truncate(size);
    const writer = new StateWriter(cpPath);
    const snapshot = (): DownloadState => ({
      version: 1,
      bucket: job.bucket,
      key: job.key,
      etag,
      size,
      chunkSize,
      chunks: Object.fromEntries([...chunks].map(([i, c]) => [String(i), c])),
    });
    if (chunkCount > 1) await writer.save(snapshot());

    const fetchChunk = async (i: number): Promise<void> => {
      const start = i * chunkSize;
      const length = lengthOf(i);
      for (let attempt = 1; ; attempt++) {
        let got = 0;
        try {
          const r = await client.getObject({
            ...common,
            ...(chunkCount > 1 ? { Range: `bytes=${start}-${start + length - 1}` } : {}),
          });
          const crc = new Crc64();
          await drain(r.Body, signal, async (chunk) => {
            if (got + chunk.length > length)
              throw new CosClientError('COS_MALFORMED_RESPONSE', 'more bytes than asked');
            await handle.write(chunk, 0, chunk.length, start + got);
            crc.update(chunk);
            got += chunk.length;
            moved += chunk.length;
            received += chunk.length;
            ctx.progress(moved);
          });
          if (got !== length) {
            throw new CosClientError('COS_NETWORK', `the body ended after ${got} of ${length} bytes`);
          }
          chunks.set(i, crc.digestDecimal());
          if (chunkCount > 1) {
            await handle.datasync();
            await writer.save(snapshot());
          }
          return;
        } catch (err) {
          moved -= got;
          if ((err as { statusCode?: number }).statusCode === 412) throw changedError(job.key, err);
          if (attempt >= ATTEMPTS || !retryable(err, signal)) throw err;
        }
      }
    };

    const todo = Array.from({ length: chunkCount }, (_, i) => i).filter((i) => !chunks.has(i));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(settings.threads, Math.max(1, todo.length)) }, async () => {
        while (next < todo.length) {
          signal.throwIfAborted();
          await fetchChunk(todo[next++]!);
        }
      }),
    );
    let combined = 0n;
    for (let i = 0; i < chunkCount; i++) {
      combined = crc64Combine(combined, parseCrc64Decimal(chunks.get(i) ?? '0') ?? 0n, lengthOf(i));
    }
    const localCrc = crc64ToDecimal(combined);
    if (settings.crc64 && remoteCrc !== undefined && remoteCrc !== localCrc) {
      await removeState(cpPath);
      await rm(partial, { force: true });
      throw new CosClientError(
        'COS_CHECKSUM_MISMATCH',
        `the downloaded bytes' CRC-64 ${localCrc} differs from the object's ${remoteCrc}; run again to download it afresh`,
      );
    }
    await handle.close().catch(() => {});
    await rename(partial, job.dest);
    await removeState(cpPath);
    return {
      status: 'downloaded',
      size,
      bytesSent: received,
      etag,
      crc64: remoteCrc ?? localCrc,
      resumed: alreadyDone > 0,
    };
  } catch (err) {
    if ((err as { code?: string }).code === 'COS_OBJECT_CHANGED') {
      await removeState(cpPath);
      await rm(partial, { force: true });
    } else if (chunkCount === 1) {
      await rm(partial, { force: true });
    }
    throw err;
  } finally {
    await handle.close().catch(() => {});
  }
}
