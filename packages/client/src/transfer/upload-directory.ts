/**
 * `uploadDirectory`: the seed's batch upload of a local folder. Files go `FileThreads` at a time,
 * each through `uploadFile`, with one bound on parts in flight shared by all of them
 * (`max(MAXThread, FileThreads)` requests carrying file bytes),
 * over the client's keep-alive connections. With `SkipExisting`, an object whose size and CRC-64
 * already equal the local file's is left alone (a HEAD per file, as the seed does).
 */
import { setMaxListeners } from 'node:events';
import { open } from 'node:fs/promises';
import { Crc64 } from '@coskit/protocol';
import { keyFor, type LocalFile, walkDirectory } from './directory-walk.js';
import { Semaphore } from './semaphore.js';
import type { TransferClient } from './transfer-client.js';
import { transferError, validateTransferOptions } from './transfer-errors.js';
import { type UploadFileParams, type UploadFileResult, uploadFile } from './upload-file.js';
import { type TransferOptions, UPLOAD_DEFAULTS } from './upload-options.js';

export interface UploadDirectoryParams extends TransferOptions {
  Bucket: string;
  LocalDir: string;
  /** Prepended to each file's relative path to make its key (e.g. `backup/2026/`). Default ''. */
  Prefix?: string;
  /** Files uploaded at once. Default 16 (small files are latency-bound). */
  FileThreads?: number;
  /** Skip files whose object exists with the same size and CRC-64. Default false. */
  SkipExisting?: boolean;
  /** Globs (picomatch) of relative paths to upload; default all. */
  Include?: string[];
  /** Globs of relative paths to leave out. */
  Exclude?: string[];
  /** Called once per file when it is uploaded, skipped or has failed. */
  onFileFinish?: (
    error: Error | undefined,
    file: { path: string; key: string; status: 'uploaded' | 'skipped' | 'failed' },
  ) => void;
  /** Called when a file starts uploading (after any SkipExisting check). */
  onFileStart?: (file: { path: string; key: string; size: number }) => void;
  /** Per-file byte progress (monotonic, throttled like `onProgress`, last call at 100 %). */
  onFileProgress?: (file: { path: string; key: string }, consumedBytes: number, totalBytes: number) => void;
  /** Passed to each file's `uploadFile`. */
  MultipartThreshold?: number;
  CheckpointDir?: string;
}

export interface UploadDirectoryResult {
  /** True when no file failed (the seed's `success_all`). */
  success_all: boolean;
  succeeded: { path: string; key: string; ETag: string; size: number }[];
  skipped: { path: string; key: string; size: number }[];
  failed: { path: string; key: string; error: Error }[];
}

/** The part of the client a folder upload needs beyond uploadFile: HEAD Object. */
export interface DirectoryClient extends TransferClient {
  headObject(params: {
    Bucket: string;
    Key: string;
    signal?: AbortSignal;
  }): Promise<{ headers: Record<string, string | undefined> }>;
}

async function localCrc64(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const crc = new Crc64();
    for await (const chunk of file.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false }))
      crc.update(chunk as Buffer);
    return crc.digestDecimal();
  } finally {
    await file.close();
  }
}

async function alreadyThere(
  client: DirectoryClient,
  bucket: string,
  key: string,
  file: LocalFile,
  signal?: AbortSignal,
): Promise<boolean> {
  let headers: Record<string, string | undefined>;
  try {
    ({ headers } = await client.headObject({ Bucket: bucket, Key: key, ...(signal ? { signal } : {}) }));
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
  if (Number(headers['content-length']) !== file.size) return false;
  const remote = headers['x-cos-hash-crc64ecma'];
  return remote !== undefined && remote === (await localCrc64(file.path));
}

export async function uploadDirectory(
  client: DirectoryClient,
  host: string,
  params: UploadDirectoryParams,
): Promise<UploadDirectoryResult> {
  validateTransferOptions(params);
  if (typeof params.LocalDir !== 'string' || params.LocalDir === '') {
    throw transferError('COS_INVALID_ARGUMENT', 'LocalDir must name a local folder.');
  }
  const fileThreads = params.FileThreads ?? 16;
  if (!Number.isInteger(fileThreads) || fileThreads < 1 || fileThreads > 256) {
    throw transferError(
      'COS_INVALID_ARGUMENT',
      `FileThreads must be an integer from 1 to 256; got ${fileThreads}.`,
    );
  }
  const files = await walkDirectory(params.LocalDir, {
    include: params.Include,
    exclude: params.Exclude,
  }).catch((err: NodeJS.ErrnoException) => {
    throw transferError(
      'COS_INVALID_ARGUMENT',
      `LocalDir "${params.LocalDir}" cannot be read: ${err.code ?? err.message}.`,
    );
  });
  // One bound on requests carrying file bytes across all files: parts of big files and whole small
  // files alike, so that small files are not throttled to MAXThread.
  // The caller's signal fans out to every request of every file: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const slots = new Semaphore(Math.max(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, fileThreads));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const perFile = new Map<string, number>();
  let consumed = 0;
  let lastReport = 0;
  const interval = params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!params.onProgress || (!force && now - lastReport < interval)) return;
    lastReport = now;
    params.onProgress(Math.min(consumed, total), total);
  };
  const result: UploadDirectoryResult = { success_all: true, succeeded: [], skipped: [], failed: [] };
  const {
    onFileFinish,
    onFileStart,
    onFileProgress,
    onProgress: _onProgress,
    LocalDir: _dir,
    Prefix,
    FileThreads: _ft,
    SkipExisting,
    Include: _i,
    Exclude: _e,
    ...fileParams
  } = params;
  let next = 0;

  const one = async (file: LocalFile) => {
    const key = keyFor(Prefix ?? '', file.relative);
    try {
      if (SkipExisting && (await alreadyThere(client, params.Bucket, key, file, params.signal))) {
        consumed += file.size;
        result.skipped.push({ path: file.path, key, size: file.size });
        onFileFinish?.(undefined, { path: file.path, key, status: 'skipped' });
        report(false);
        return;
      }
      onFileStart?.({ path: file.path, key, size: file.size });
      const uploadParams: UploadFileParams = {
        ...fileParams,
        Key: key,
        LocalFilePath: file.path,
        onProgress: (bytes, total) => {
          consumed += bytes - (perFile.get(file.path) ?? 0);
          perFile.set(file.path, bytes);
          onFileProgress?.({ path: file.path, key }, bytes, total);
          report(false);
        },
      };
      const r: UploadFileResult = await uploadFile(client, host, uploadParams, { slots }, file.size);
      result.succeeded.push({ path: file.path, key, ETag: r.ETag, size: file.size });
      onFileFinish?.(undefined, { path: file.path, key, status: 'uploaded' });
    } catch (err) {
      if (params.signal?.aborted) throw err;
      const error = err instanceof Error ? err : new Error(String(err));
      consumed += file.size - (perFile.get(file.path) ?? 0);
      result.failed.push({ path: file.path, key, error });
      result.success_all = false;
      onFileFinish?.(error, { path: file.path, key, status: 'failed' });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(fileThreads, Math.max(1, files.length)) }, async () => {
      while (next < files.length) {
        params.signal?.throwIfAborted();
        await one(files[next++]!);
      }
    }),
  );
  report(true);
  return result;
}
