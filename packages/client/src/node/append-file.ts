/**
 * `appendFile`: a local file appended to an appendable object (APPEND Object at the object's
 * current length, creating it when absent), in `PartSize` requests, one at a time (each must start
 * where the previous ended). Every answer's CRC-64 is checked against the expected whole-object
 * CRC-64 (the object's before, combined with each chunk's), and progress is checkpointed: after an
 * interruption the next call continues where the object ends, once it has checked that the object
 * holds exactly what this file appended, so nothing is appended twice. Memory: one `PartSize` buffer.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LIMITS } from '@coskit/protocol';
import { CosClientError, invalidArgument } from '../errors.js';
import { combineCrc64, crc64Of } from '../transfer/crc-parts.js';
import { ProgressTracker } from '../transfer/progress.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { type TransferBaseOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { requireLocalPath, transferOptions } from '../validation.js';
import {
  type AppendCheckpoint,
  checkpointPath,
  defaultCheckpointDir,
  loadAppendCheckpoint,
  removeCheckpoint,
} from './checkpoint.js';
import { identityOf, sameIdentity } from './file-identity.js';
import { readSlice } from './file-slice.js';
import { writeJsonFileAtomic } from './state-file.js';

const MiB = 1024 * 1024;

export interface AppendFileParams extends Omit<TransferBaseOptions, 'MAXThread'> {
  Bucket: string;
  Key: string;
  LocalFilePath: string;
  /** Folder of checkpoint files. Default `~/.coskit/checkpoints`. */
  CheckpointDir?: string;
  /** Sent with the append that creates the object (position 0) only, as COS keeps the first ones. */
  ContentType?: string;
  Metadata?: Record<string, string>;
  ACL?: string;
}

export interface AppendFileResult {
  Bucket: string;
  Key: string;
  ETag: string;
  /** CRC-64 of the whole object after the last append (decimal), checked. */
  'x-cos-hash-crc64ecma'?: string | undefined;
  /** Where the next append would start: the object's length. */
  'x-cos-next-append-position': number;
  /** Bytes this call sent. */
  bytesSent: number;
  /** True when an interrupted earlier call's appends were continued. */
  resumed: boolean;
}

interface RemoteState {
  readonly length: number;
  readonly crc64: string | undefined;
  readonly exists: boolean;
}

async function remoteState(
  client: TransferClient,
  p: AppendFileParams,
  call: { signal?: AbortSignal },
): Promise<RemoteState> {
  try {
    const head = await client.headObject({ Bucket: p.Bucket, Key: p.Key, ...call });
    if (head['x-cos-object-type'] !== 'appendable') {
      throw new CosClientError(
        'COS_NOT_APPENDABLE',
        `cos://${p.Bucket}/${p.Key} exists and is not appendable (it was uploaded with PUT or multipart); append to another key, or remove it first`,
      );
    }
    return { length: head['Content-Length'], crc64: head['x-cos-hash-crc64ecma'], exists: true };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { length: 0, crc64: '0', exists: false };
    throw err;
  }
}

/** CRC-64 after appending `chunk` to content whose CRC-64 is `crc` (undefined if `crc` is). */
function after(crc: string | undefined, chunk: Buffer): string | undefined {
  return crc === undefined ? undefined : combineCrc64([{ crc64: crc64Of(chunk), size: chunk.length }], crc);
}

/** Appends a local file to an object (see the module comment). `host` keys the checkpoint. */
export async function appendFile(
  client: TransferClient,
  host: string,
  params: AppendFileParams,
): Promise<AppendFileResult> {
  params = transferOptions(params);
  const localPath = resolve(requireLocalPath('LocalFilePath', params.LocalFilePath, 'a local file'));
  const info = await stat(localPath).catch((err: NodeJS.ErrnoException) => {
    throw invalidArgument(
      `LocalFilePath "${params.LocalFilePath}" cannot be read: ${err.code ?? err.message}.`,
    );
  });
  if (!info.isFile()) throw invalidArgument(`LocalFilePath "${params.LocalFilePath}" is not a regular file.`);
  if (info.size > LIMITS.maxAppendableObjectSize) {
    throw invalidArgument(
      `"${params.LocalFilePath}" is larger than the 5 GiB an appendable object may hold.`,
    );
  }
  const { Bucket, Key, signal } = params;
  const call = signal ? { signal } : {};
  const enableCrc = params.EnableCRC ?? true;
  const file = await open(localPath, 'r');
  try {
    const identity = identityOf(await file.stat());
    const chunkSize = (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB;
    const buffer = Buffer.allocUnsafe(Math.min(chunkSize, Math.max(1, identity.size)));
    const read = (offset: number) =>
      readSlice(file, offset, Math.min(identity.size, offset + chunkSize), buffer);
    const cpPath = checkpointPath(
      params.CheckpointDir ?? defaultCheckpointDir(),
      'append',
      host,
      Bucket,
      Key,
      localPath,
    );

    const remote = await remoteState(client, params, call);
    let saved = await loadAppendCheckpoint(cpPath);
    if (saved && (saved.partSize !== chunkSize || !sameIdentity(saved.file, identity))) saved = undefined;
    let start = remote.length;
    let appended = 0;
    let crc = remote.crc64;
    if (saved) {
      const expected = saved.start + saved.appended;
      const sameCrc = (value: string | undefined) =>
        value === undefined || remote.crc64 === undefined || value === remote.crc64;
      let resumable = false;
      if (remote.length === expected && sameCrc(saved.crc64)) {
        ({ start, appended } = saved);
        crc = remote.crc64 ?? saved.crc64;
        resumable = true;
      } else if (saved.appended < identity.size && remote.length > expected) {
        // The last request may have landed without its answer (or the checkpoint) arriving.
        const chunk = await read(saved.appended);
        if (remote.length === expected + chunk.length && sameCrc(after(saved.crc64, chunk))) {
          start = saved.start;
          appended = saved.appended + chunk.length;
          crc = remote.crc64;
          resumable = true;
        }
      }
      if (!resumable) {
        await removeCheckpoint(cpPath);
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
    const progress = new ProgressTracker(
      identity.size,
      params.onProgress,
      params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
    );
    if (resumed) params.onResume?.(appended, identity.size);
    progress.alreadyDone(appended);
    const save = () =>
      writeJsonFileAtomic(cpPath, {
        version: 1,
        kind: 'append',
        host,
        bucket: Bucket,
        key: Key,
        filePath: localPath,
        partSize: chunkSize,
        file: identity,
        start,
        appended,
        crc64: crc,
      } satisfies AppendCheckpoint);
    await save();
    let sent = 0;
    let first = !remote.exists;
    let etag = '';
    while (appended < identity.size || first) {
      signal?.throwIfAborted();
      const chunk = await read(appended);
      const position = start + appended;
      const expectedCrc = after(crc, chunk);
      let chunkSent = 0;
      let answerCrc: string | undefined;
      try {
        const r = await client.appendObject({
          Bucket,
          Key,
          Position: position,
          Data: chunk,
          ...call,
          onUploadProgress: (n) => {
            chunkSent += n;
            if (n < 0) progress.rollback(-n);
            else progress.sent(n);
          },
          ...(params.TrafficLimit !== undefined ? { TrafficLimit: params.TrafficLimit } : {}),
          ...(position === 0 && params.ContentType ? { ContentType: params.ContentType } : {}),
          ...(position === 0 && params.Metadata ? { Metadata: params.Metadata } : {}),
          ...(position === 0 && params.ACL ? { ACL: params.ACL } : {}),
        });
        answerCrc = r['x-cos-hash-crc64ecma'];
        etag = r.ETag;
      } catch (err) {
        progress.rollback(chunkSent);
        // A retried request whose first attempt landed: the object already ends with this chunk.
        if ((err as { errorCode?: string }).errorCode !== 'AppendPositionErr') throw err;
        const now = await remoteState(client, params, call);
        const landed =
          now.length === position + chunk.length &&
          (expectedCrc === undefined || now.crc64 === undefined || now.crc64 === expectedCrc);
        if (!landed) throw err;
        answerCrc = now.crc64;
        progress.sent(chunk.length);
      }
      if (enableCrc && answerCrc !== undefined && expectedCrc !== undefined && answerCrc !== expectedCrc) {
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
    await removeCheckpoint(cpPath);
    progress.finish();
    return {
      Bucket,
      Key,
      ETag: etag,
      'x-cos-hash-crc64ecma': crc,
      'x-cos-next-append-position': start + appended,
      bytesSent: sent,
      resumed,
    };
  } finally {
    await file.close();
  }
}
