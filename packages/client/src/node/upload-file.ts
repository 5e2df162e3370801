/**
 * `uploadFile`: the seed's advanced upload. One PUT Object up to the threshold; above it a
 * multipart upload with `MAXThread` workers, each reading its part lazily into its own buffer
 * (memory: `PartSize × MAXThread`), checkpointed after every acknowledged part so that a retry in
 * the same process or a new process after kill -9 re-sends only the missing parts.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CosClientError, invalidArgument } from '../errors.js';
import { type SseCustomerKeyParams, sseCustomerOf } from '../operations/common.js';
import { checkWholeCrc64, combineCrc64, crc64Of } from '../transfer/crc-parts.js';
import { type PartDescriptor, type PartPlan, partsToSend, planParts } from '../transfer/part-plan.js';
import { runPool } from '../transfer/pool.js';
import { ProgressTracker } from '../transfer/progress.js';
import type { Semaphore } from '../transfer/semaphore.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import {
  type ObjectHeaderParams,
  pickObjectHeaders,
  type TransferOptions,
  UPLOAD_DEFAULTS,
} from '../transfer/transfer-options.js';
import { requireLocalPath, transferOptions } from '../validation.js';
import {
  type CheckpointData,
  CheckpointWriter,
  checkpointPath,
  defaultCheckpointDir,
  loadCheckpoint,
  removeCheckpoint,
} from './checkpoint.js';
import { identityOf } from './file-identity.js';
import { crc64OfFile, readSlice } from './file-slice.js';
import {
  type DoneParts,
  listAllParts,
  listKeyUploads,
  resumeFromCheckpoint,
  resumeFromListing,
} from './resume.js';

const MiB = 1024 * 1024;

export interface UploadFileParams extends TransferOptions {
  Bucket: string;
  Key: string;
  LocalFilePath: string;
  /** Files at or below this many bytes go as one PUT Object. Default 20 MiB (the seed's 20 MB). */
  MultipartThreshold?: number;
  /** Folder of checkpoint files. Default `~/.coskit/checkpoints`. */
  CheckpointDir?: string;
  /**
   * Without a checkpoint, look for an unfinished upload of the key on the server (List Multipart
   * Uploads + List Parts + MD5 of local slices). Default true.
   */
  ResumeFromServer?: boolean;
  /** On a failure that spent its retries, abort the upload instead of keeping it resumable. Default false. */
  AbortOnFailure?: boolean;
  /**
   * Leave the object alone when it already holds exactly this file: same size and CRC-64 (one
   * HEAD, and a read of the file when the sizes match). The result then has `skipped: true`.
   * Default false.
   */
  SkipExisting?: boolean;
}

export interface UploadFileResult {
  ETag: string;
  /** CRC-64 of the whole object, as the server computed it (decimal). */
  'x-cos-hash-crc64ecma'?: string | undefined;
  /** Present for multipart uploads. */
  Location?: string;
  Bucket: string;
  Key: string;
  /** Present for multipart uploads. */
  UploadId?: string;
  /**
   * The version this upload wrote, in a bucket with versioning (`null` when it is suspended);
   * absent otherwise (and when `SkipExisting` skipped the file, or a lost answer was recovered).
   */
  VersionId?: string;
  /** How many parts this call sent (the rest were resumed). 0 for a single PUT. */
  partsSent: number;
  /** Bytes this call sent. */
  bytesSent: number;
  /** True when `SkipExisting` found the object already equal to the file (nothing was sent). */
  skipped?: boolean;
}

/** Limits shared by several uploads (a folder upload bounds parts in flight across all its files). */
export interface SharedLimits {
  /** One permit per part (or whole-file PUT) in flight. */
  readonly slots?: Semaphore | undefined;
}

/**
 * Uploads a local file (see the module comment). `host` identifies the endpoint in checkpoint
 * names, so an upload is never resumed against another server.
 */
export async function uploadFile(
  client: TransferClient,
  host: string,
  params: UploadFileParams,
  shared: SharedLimits = {},
  /** The file's size when the caller has just stat'ed it (a folder walk), saving one stat. */
  knownSize?: number,
): Promise<UploadFileResult> {
  params = transferOptions(params);
  requireLocalPath('LocalFilePath', params.LocalFilePath, 'a local file');
  const threshold = params.MultipartThreshold ?? UPLOAD_DEFAULTS.multipartThreshold;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw invalidArgument(`MultipartThreshold must be a non-negative number of bytes; got ${threshold}.`);
  }
  const stats =
    knownSize !== undefined
      ? { size: knownSize, isFile: () => true }
      : await stat(params.LocalFilePath).catch((err: NodeJS.ErrnoException) => {
          throw invalidArgument(
            `LocalFilePath "${params.LocalFilePath}" cannot be read: ${err.code ?? err.message}.`,
          );
        });
  if (!stats.isFile())
    throw invalidArgument(`LocalFilePath "${params.LocalFilePath}" is not a regular file.`);
  if (params.SkipExisting) {
    const existing = await compareWithObject(client, params, stats.size);
    if (existing.same) {
      params.onProgress?.(stats.size, stats.size);
      return {
        ETag: existing.ETag,
        'x-cos-hash-crc64ecma': existing['x-cos-hash-crc64ecma'],
        Bucket: params.Bucket,
        Key: params.Key,
        partsSent: 0,
        bytesSent: 0,
        skipped: true,
      };
    }
  }
  const progress = new ProgressTracker(
    stats.size,
    params.onProgress,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const headers = pickObjectHeaders(params);
  if (stats.size <= threshold) {
    const release = await shared.slots?.acquire();
    try {
      return await uploadWhole(client, params, headers, stats.size, progress);
    } finally {
      release?.();
    }
  }
  return uploadMultipart(client, host, params, headers, progress, shared);
}

async function uploadWhole(
  client: TransferClient,
  params: UploadFileParams,
  headers: ObjectHeaderParams,
  size: number,
  progress: ProgressTracker,
): Promise<UploadFileResult> {
  const body = await readWholeFile(params.LocalFilePath, size);
  let sent = 0;
  const result = await client.putObject({
    Bucket: params.Bucket,
    Key: params.Key,
    Body: body,
    EnableMD5: params.EnableMD5 ?? false,
    ...headers,
    ...(params.TrafficLimit !== undefined ? { TrafficLimit: params.TrafficLimit } : {}),
    ...(params.signal ? { signal: params.signal } : {}),
    // Negative deltas are a failed attempt's bytes taken back before a retry.
    onUploadProgress: (n: number) => {
      sent += n;
      if (n < 0) progress.rollback(-n);
      else progress.sent(n);
    },
  });
  progress.finish();
  return {
    ...result,
    ...versionOf(result),
    Bucket: params.Bucket,
    Key: params.Key,
    partsSent: 0,
    bytesSent: sent,
  };
}

async function uploadMultipart(
  client: TransferClient,
  host: string,
  params: UploadFileParams,
  headers: ObjectHeaderParams,
  progress: ProgressTracker,
  shared: SharedLimits,
): Promise<UploadFileResult> {
  const { Bucket, Key } = params;
  const target = { Bucket, Key };
  const call = params.signal ? { signal: params.signal } : {};
  // The signal fans out to every part request: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const filePath = resolve(params.LocalFilePath);
  const file = await open(filePath, 'r');
  try {
    const stats = await file.stat();
    const identity = identityOf(stats);
    const plan: PartPlan = planParts(stats.size, (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB);
    const workers = Math.min(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, plan.partCount);
    const buffers: Buffer[] = [];
    const bufferFor = (worker: number) => {
      buffers[worker] ??= Buffer.allocUnsafe(plan.partSize);
      return buffers[worker];
    };

    // Where do we stand? Checkpoint, then the server's listing, then a fresh upload.
    const cpPath = checkpointPath(
      params.CheckpointDir ?? defaultCheckpointDir(),
      'upload',
      host,
      Bucket,
      Key,
      filePath,
    );
    const checkpoint = await loadCheckpoint(cpPath);
    let uploadId: string | undefined;
    let done: DoneParts = new Map();
    if (checkpoint) {
      const resumed = await resumeFromCheckpoint(client, target, checkpoint, plan, identity, call);
      if (resumed === 'stale') {
        // The file changed since the checkpoint: its parts are worthless.
        await client
          .abortMultipartUpload({ ...target, UploadId: checkpoint.uploadId, ...call })
          .catch(() => {});
        await removeCheckpoint(cpPath);
      } else if (resumed) {
        ({ uploadId, done } = resumed);
      } else {
        // The checkpoint's upload is gone: completed by a run that died before it could remove the
        // checkpoint (then the object is this file: nothing to send), or aborted.
        const whole = await completedBefore(
          client,
          { ...target, ...sseCustomerOf(params) },
          checkpoint,
          stats.size,
          call,
        );
        await removeCheckpoint(cpPath);
        if (whole) {
          progress.alreadyDone(stats.size);
          progress.finish();
          return { ...whole, ...target, UploadId: checkpoint.uploadId, partsSent: 0, bytesSent: 0 };
        }
      }
    }
    if (!uploadId && (params.ResumeFromServer ?? true)) {
      const found = await resumeFromListing(client, target, plan, file, bufferFor(0), call);
      if (found) ({ uploadId, done } = found);
    }
    uploadId ??= await initiate(client, target, headers, call);
    const id = uploadId;
    const writer = new CheckpointWriter(cpPath);
    const snapshot = (): CheckpointData => ({
      version: 1,
      host,
      bucket: Bucket,
      key: Key,
      uploadId: id,
      partSize: plan.partSize,
      partCount: plan.partCount,
      filePath,
      file: identity,
      parts: Object.fromEntries([...done].map(([n, p]) => [String(n), p])),
    });
    await writer.save(snapshot());

    for (const part of done.values()) progress.alreadyDone(part.size);
    let partsSent = 0;
    let bytesSent = 0;
    const attempts = UPLOAD_DEFAULTS.partAttempts;
    /**
     * Reads one part into the worker's buffer and sends it. The transport retries the request;
     * this layer only reads the slice again and re-sends it when the server's CRC-64 differs.
     */
    const sendPart = async (part: PartDescriptor, worker: number): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        const body = await readSlice(file, part.start, part.end, bufferFor(worker));
        const crc64 = crc64Of(body);
        let attemptBytes = 0;
        try {
          const r = await client.uploadPart({
            ...target,
            UploadId: id,
            PartNumber: part.partNumber,
            Body: body,
            Crc64: crc64,
            // Every part of an SSE-C upload repeats the key Initiate was given.
            ...sseCustomerOf(params),
            ...(params.EnableMD5 ? { EnableMD5: true } : {}),
            ...(params.TrafficLimit !== undefined ? { TrafficLimit: params.TrafficLimit } : {}),
            ...call,
            onUploadProgress: (n: number) => {
              attemptBytes += n;
              if (n < 0) progress.rollback(-n);
              else progress.sent(n);
            },
          });
          const serverCrc = r['x-cos-hash-crc64ecma'];
          if ((params.EnableCRC ?? true) && serverCrc !== undefined && serverCrc !== crc64) {
            throw new CosClientError(
              'COS_CHECKSUM_MISMATCH',
              `part ${part.partNumber}: the server's CRC-64 ${serverCrc} differs from the local ${crc64}`,
            );
          }
          bytesSent += attemptBytes;
          partsSent++;
          done.set(part.partNumber, { etag: r.ETag, crc64, size: body.length });
          await writer.save(snapshot());
          return;
        } catch (err) {
          progress.rollback(attemptBytes);
          const mismatch = (err as { code?: string }).code === 'COS_CHECKSUM_MISMATCH';
          if (!mismatch || attempt >= attempts || params.signal?.aborted) {
            throw partFailure(part.partNumber, id, err);
          }
        }
      }
    };
    try {
      await runPool(
        partsToSend(plan, (n) => done.has(n)),
        { workers, signal: params.signal },
        async (part, worker) => {
          const release = await shared.slots?.acquire();
          try {
            await sendPart(part, worker);
          } finally {
            release?.();
          }
        },
      );
    } catch (err) {
      if (params.AbortOnFailure && !params.signal?.aborted) {
        await client.abortMultipartUpload({ ...target, UploadId: id }).catch(() => {});
        await removeCheckpoint(cpPath);
      }
      throw err;
    }

    // Never complete with a missing part.
    const missing = [...partsToSend(plan, (n) => done.has(n))].map((p) => p.partNumber);
    if (missing.length > 0) {
      throw new CosClientError(
        'COS_INCOMPLETE_UPLOAD',
        `parts ${missing.join(', ')} were not uploaded; run again to resume`,
        { UploadId: id },
      );
    }
    const ordered = [...done].sort((a, b) => a[0] - b[0]);
    const combined = combineCrc64(ordered.map(([, p]) => p));
    let result: {
      ETag: string;
      'x-cos-hash-crc64ecma'?: string | undefined;
      Location?: string;
      'x-cos-version-id'?: string;
    };
    try {
      result = await client.completeMultipartUpload({
        ...target,
        UploadId: id,
        MultipartUpload: { Part: ordered.map(([PartNumber, p]) => ({ PartNumber, ETag: p.etag })) },
        ...call,
      });
    } catch (err) {
      // A Complete retried after its answer was lost finds its upload gone: the first one worked
      // when the object is this file.
      if ((err as { errorCode?: string }).errorCode !== 'NoSuchUpload') throw err;
      const whole = await objectIs(client, target, stats.size, combined, call);
      if (!whole) throw err;
      result = whole;
    }
    await removeCheckpoint(cpPath);
    if (params.EnableCRC ?? true) {
      checkWholeCrc64(combined, result['x-cos-hash-crc64ecma'], 'the completed object', { UploadId: id });
    }
    progress.finish();
    return { ...result, ...versionOf(result), ...target, UploadId: id, partsSent, bytesSent };
  } finally {
    await file.close();
  }
}

/**
 * Reads a file that goes as one PUT. Small files are read synchronously: a few KiB from the page
 * cache take microseconds, while three thread-pool round trips (open, read, close) dominate the
 * time of a many-small-files upload.
 */
async function readWholeFile(path: string, size: number): Promise<Buffer> {
  if (size <= SYNC_READ_MAX) return readFileSync(path);
  const file = await open(path, 'r');
  try {
    return await readSlice(file, 0, size, Buffer.allocUnsafe(size));
  } finally {
    await file.close();
  }
}

const SYNC_READ_MAX = 256 * 1024;

/** The object as HEAD shows it, when it has `size` bytes and the CRC-64 `crc64`; else undefined. */
async function objectIs(
  client: TransferClient,
  target: { Bucket: string; Key: string } & SseCustomerKeyParams,
  size: number,
  crc64: string | undefined,
  call: { signal?: AbortSignal },
): Promise<{ ETag: string; 'x-cos-hash-crc64ecma': string } | undefined> {
  const head = await client.headObject({ ...target, ...call }).catch((err: { statusCode?: number }) => {
    if (err.statusCode === 404) return undefined;
    throw err;
  });
  const remote = head?.['x-cos-hash-crc64ecma'];
  if (!head || head['Content-Length'] !== size || remote === undefined || remote !== crc64) return undefined;
  return { ETag: head.ETag, 'x-cos-hash-crc64ecma': remote };
}

/**
 * A checkpoint whose upload is gone: the object, when a run completed it (every part of the plan
 * is in the checkpoint, and the object's size and CRC-64 are the parts'); else undefined.
 */
async function completedBefore(
  client: TransferClient,
  target: { Bucket: string; Key: string } & SseCustomerKeyParams,
  checkpoint: CheckpointData,
  size: number,
  call: { signal?: AbortSignal },
) {
  const parts = Object.entries(checkpoint.parts)
    .map(([n, p]) => [Number(n), p] as const)
    .sort((a, b) => a[0] - b[0]);
  if (parts.length !== checkpoint.partCount) return undefined;
  return objectIs(client, target, size, combineCrc64(parts.map(([, p]) => p)), call);
}

/** How long ago an upload this call lost the answer to may have been initiated (server clock). */
const LOST_INITIATE_WINDOW_MS = 15 * 60_000;

/**
 * Initiate Multipart Upload without leaving an orphan. The transport does not retry Initiate once
 * it may have reached COS (a second run would create a second upload); when its answer is lost
 * (network failure, timeout, 5xx), the key's uploads are listed and the newest one without parts,
 * initiated within the last 15 minutes, is taken as ours (a signature is only valid 15 minutes
 * around the server's clock, so the clocks agree that well). Only when there is none is Initiate
 * sent again.
 */
async function initiate(
  client: TransferClient,
  target: { Bucket: string; Key: string },
  headers: Omit<ObjectHeaderParams, 'TrafficLimit'>,
  call: { signal?: AbortSignal },
): Promise<string> {
  try {
    return (await client.createMultipartUpload({ ...target, ...headers, ...call })).UploadId;
  } catch (err) {
    const e = err as { code?: string; statusCode?: number };
    const lost = e.code === 'COS_NETWORK' || e.code === 'COS_TIMEOUT' || (e.statusCode ?? 0) >= 500;
    if (!lost || call.signal?.aborted) throw err;
    const since = Date.now() - LOST_INITIATE_WINDOW_MS;
    const uploads = (await listKeyUploads(client, target, call))
      .filter((u) => Date.parse(u.Initiated) >= since)
      .sort((a, b) => (a.Initiated < b.Initiated ? 1 : a.Initiated > b.Initiated ? -1 : 0));
    for (const u of uploads) {
      const parts = await listAllParts(client, target, u.UploadId, call);
      if (parts?.length === 0) return u.UploadId;
    }
    return (await client.createMultipartUpload({ ...target, ...headers, ...call })).UploadId;
  }
}

function partFailure(partNumber: number, uploadId: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CosClientError(
    (cause as { code?: string }).code === 'COS_ABORTED' ? 'COS_ABORTED' : 'COS_PART_FAILED',
    `part ${partNumber} failed after its retries: ${reason} (UploadId ${uploadId}; run again to resume)`,
    { UploadId: uploadId, PartNumber: partNumber, cause },
  );
}

/** How a local file compares with its object: equal (size and CRC-64), or why not. */
export type ObjectComparison =
  | { readonly same: true; readonly ETag: string; readonly 'x-cos-hash-crc64ecma': string }
  | { readonly same: false; readonly reason: 'new' | 'changed size' | 'changed content' };

/**
 * The one skip-existing check (uploadFile's and uploadDirectory's): HEAD the object and, when the
 * sizes match, CRC-64 the file. A 404 is `new`; other failures are thrown.
 */
export async function compareWithObject(
  client: TransferClient,
  params: {
    Bucket: string;
    Key: string;
    LocalFilePath: string;
    signal?: AbortSignal | undefined;
  } & SseCustomerKeyParams,
  size: number,
): Promise<ObjectComparison> {
  let head: Awaited<ReturnType<TransferClient['headObject']>>;
  try {
    head = await client.headObject({
      Bucket: params.Bucket,
      Key: params.Key,
      ...sseCustomerOf(params),
      ...(params.signal ? { signal: params.signal } : {}),
    });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { same: false, reason: 'new' };
    throw err;
  }
  const remote = head['x-cos-hash-crc64ecma'];
  if (head['Content-Length'] !== size) return { same: false, reason: 'changed size' };
  if (remote === undefined || remote !== (await crc64OfFile(params.LocalFilePath, params.signal))) {
    return { same: false, reason: 'changed content' };
  }
  return { same: true, ETag: head.ETag, 'x-cos-hash-crc64ecma': remote };
}

/** `VersionId` from a PUT or Complete answer's `x-cos-version-id`, when the bucket has versioning. */
function versionOf(result: { 'x-cos-version-id'?: string | undefined }): { VersionId?: string } {
  const id = result['x-cos-version-id'];
  return id ? { VersionId: id } : {};
}
