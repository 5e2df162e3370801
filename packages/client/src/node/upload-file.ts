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

import { invalidArgument } from '../errors.js';
import { type SseCustomerKeyParams, sseCustomerOf } from '../operations/common.js';
import { crc64Of } from '../transfer/crc-parts.js';
import { completedBefore, initiate, runMultipartUpload } from '../transfer/multipart-upload.js';
import { type PartPlan, planParts } from '../transfer/part-plan.js';

import { ProgressTracker } from '../transfer/progress.js';
import type { Semaphore } from '../transfer/semaphore.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import {
  type ObjectHeaderParams,
  pickObjectHeaders,
  type TransferOptions,
  UPLOAD_DEFAULTS,
} from '../transfer/transfer-options.js';
import { versionOf } from '../transfer/upload-result.js';
import type { DoneParts } from '../transfer/upload-resume.js';
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
import { resumeFromCheckpoint, resumeFromListing } from './resume.js';

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
    /** One part buffer per worker, allocated when it first reads. */
    const buffers: Buffer[] = [];

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
          params.onResume?.(stats.size, stats.size);
          progress.alreadyDone(stats.size);
          progress.finish();
          return { ...whole, ...target, UploadId: checkpoint.uploadId, partsSent: 0, bytesSent: 0 };
        }
      }
    }
    if (!uploadId && (params.ResumeFromServer ?? true)) {
      const found = await resumeFromListing(client, target, plan, file, call);
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
    const reused = [...done.values()].reduce((sum, part) => sum + part.size, 0);
    if (reused > 0) params.onResume?.(reused, stats.size);
    const outcome = await runMultipartUpload({
      client,
      target,
      uploadId: id,
      plan,
      done,
      read: async (start, end, worker) => {
        buffers[worker] ??= Buffer.allocUnsafe(plan.partSize);
        const body = await readSlice(file, start, end, buffers[worker]);
        return { body, crc64: crc64Of(body), size: body.length };
      },
      workers,
      progress,
      options: params,
      saveCheckpoint: () => writer.save(snapshot()),
      removeCheckpoint: () => removeCheckpoint(cpPath),
      slots: shared.slots,
      // Every part of an SSE-C upload repeats the key Initiate was given.
      sseCustomer: sseCustomerOf(params),
    });
    return { ...outcome, ...versionOf(outcome), ...target, UploadId: id };
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
