/**
 * `copyDirectory`: every object under a source prefix copied, on the server, to a target prefix —
 * the COS → COS sibling of `uploadDirectory` and `downloadDirectory`. The source prefix is listed
 * (one GET Bucket per 1000 keys), `Include`/`Exclude` keep keys by their path below it, and each
 * object goes through the advanced `copy` (one PUT Object - Copy, or a resumable multipart copy
 * above `MultipartThreshold`), `FileThreads` at a time on the one worker pool. With
 * `SkipExisting`, the target prefix is listed once too: a target missing or of another size is
 * copied without a request of its own; equal sizes are compared by CRC-64 (a HEAD of each side)
 * unless `CompareBy: 'size'`. No byte passes through this process.
 */
import { setMaxListeners } from 'node:events';
import { invalidArgument } from '../errors.js';
import { checkSseCustomerKeys, sseCustomerOf } from '../operations/common.js';
import { FolderRun } from '../transfer/folder-run.js';
import { type ListedObject, listEveryObject } from '../transfer/list-objects.js';
import { pathFilter } from '../transfer/path-filter.js';
import { runPool } from '../transfer/pool.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { requireBucket, transferOptions } from '../validation.js';
import { type CopyParams, type CopyResult, copy } from './copy.js';

export interface CopyDirectoryParams extends Omit<CopyParams, 'Key' | 'CopySource'> {
  /** Target bucket. */
  Bucket: string;
  /** Target prefix: each object lands at `Prefix` + its key below the source prefix. Default ''. */
  Prefix?: string;
  /** The source bucket (and its region) and the prefix to copy (default '': the whole bucket). */
  CopySource: { Bucket: string; Region: string; Prefix?: string };
  /** Objects copied at once. Default 16 (a server-side copy is latency-bound). */
  FileThreads?: number;
  /** Leave a target alone when it already equals its source (see `CompareBy`). Default false. */
  SkipExisting?: boolean;
  /**
   * How `SkipExisting` decides "equal": `crc64` (default) — same size (from the listings) and same
   * CRC-64 (a HEAD of each side, only when the sizes match); `size` — the listings alone.
   */
  CompareBy?: 'crc64' | 'size';
  /** Globs of paths below the source prefix to copy; same meaning as uploadDirectory's `Include`. */
  Include?: string[];
  /** Globs of paths below the source prefix to leave out. */
  Exclude?: string[];
  /** Copy nothing: report each object as `would-copy` (with the reason) or `skipped`. Default false. */
  DryRun?: boolean;
  /** Called once, after the listings: how many objects (and bytes) will be considered. */
  onStart?: (totals: { files: number; bytes: number }) => void;
  /** Called when an object starts copying (after any SkipExisting check). */
  onFileStart?: (file: DirectoryCopyFile) => void;
  /** Per-object progress (bytes the server has copied; monotonic, last call at 100 %). */
  onFileProgress?: (file: DirectoryCopyFile, consumedBytes: number, totalBytes: number) => void;
  /** Called once per object when it is copied, skipped or has failed. */
  onFileFinish?: (
    error: Error | undefined,
    file: DirectoryCopyFile & {
      status: 'copied' | 'skipped' | 'failed' | 'would-copy';
      /** copy's result for copied objects. */
      result?: CopyResult;
      /** Why a `would-copy` object would go (DryRun). */
      reason?: 'new' | 'changed size' | 'changed content';
    },
  ) => void;
}

/** One object of the source prefix and its target key. */
export interface DirectoryCopyFile {
  readonly sourceKey: string;
  readonly key: string;
  readonly size: number;
}

export interface CopyDirectoryResult {
  /** True when no object failed. */
  success_all: boolean;
  succeeded: { sourceKey: string; key: string; ETag: string; size: number }[];
  skipped: { sourceKey: string; key: string; size: number }[];
  failed: { sourceKey: string; key: string; error: Error }[];
}

export async function copyDirectory(
  client: TransferClient,
  host: string,
  params: CopyDirectoryParams,
): Promise<CopyDirectoryResult> {
  params = transferOptions(params);
  const from = params.CopySource;
  if (typeof from !== 'object' || from === null || !from.Region) {
    throw invalidArgument(
      'CopySource must be { Bucket, Region, Prefix? } naming the source bucket and prefix.',
    );
  }
  requireBucket(from.Bucket);
  checkSseCustomerKeys(params as unknown as Record<string, unknown>);
  const fileThreads = params.FileThreads ?? 16;
  if (!Number.isInteger(fileThreads) || fileThreads < 1 || fileThreads > 256) {
    throw invalidArgument(`FileThreads must be an integer from 1 to 256; got ${fileThreads}.`);
  }
  const compareBy = params.CompareBy ?? 'crc64';
  if (compareBy !== 'crc64' && compareBy !== 'size') {
    throw invalidArgument(`CompareBy must be "crc64" or "size"; got "${String(compareBy)}".`);
  }
  const sourcePrefix = from.Prefix ?? '';
  const prefix = params.Prefix ?? '';
  if (from.Bucket === params.Bucket && sourcePrefix === prefix) {
    throw invalidArgument(
      'the source and target prefixes are the same: every object would be copied onto itself.',
    );
  }
  const keep = pathFilter(params.Include ?? [], params.Exclude ?? []);
  // The signal fans out to every request of every object: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const call = params.signal ? { signal: params.signal } : {};
  const objects: ListedObject[] = [];
  for await (const o of listEveryObject(client, {
    Bucket: from.Bucket,
    Prefix: sourcePrefix,
    signal: params.signal,
  })) {
    // A key ending in "/" is a folder marker: nothing to copy but its name (left alone).
    if (!o.Key.endsWith('/') && keep(o.Key.slice(sourcePrefix.length))) objects.push(o);
  }
  const existing = new Map<string, number>();
  if (params.SkipExisting || params.DryRun) {
    for await (const o of listEveryObject(client, {
      Bucket: params.Bucket,
      Prefix: prefix,
      signal: params.signal,
    }))
      existing.set(o.Key, o.Size);
  }
  const total = objects.reduce((sum, o) => sum + o.Size, 0);
  params.onStart?.({ files: objects.length, bytes: total });

  // The folder's progress: every object's copied bytes, skipped and failed ones counted whole.
  const run = new FolderRun<DirectoryCopyFile>(
    total,
    params.onProgress ?? undefined,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const {
    onStart: _s,
    onFileStart,
    onFileProgress,
    onFileFinish,
    onProgress: _p,
    CopySource: _c,
    Prefix: _x,
    FileThreads: _f,
    Include: _i,
    Exclude: _e,
    SkipExisting,
    CompareBy: _cb,
    DryRun,
    ...copyParams
  } = params;

  const sourceKey = sseCustomerOf({
    SSECustomerKey: params.CopySourceSSECustomerKey,
    SSECustomerAlgorithm: params.CopySourceSSECustomerAlgorithm,
    SSECustomerKeyMD5: params.CopySourceSSECustomerKeyMD5,
  });
  /** Whether a target is stored with the encryption this call asks for (never inherited). */
  const encryptedAsAsked = (h: {
    'x-cos-server-side-encryption'?: string;
    'x-cos-server-side-encryption-customer-algorithm'?: string;
  }): boolean => {
    const sseCos = h['x-cos-server-side-encryption'] !== undefined;
    const sseC = h['x-cos-server-side-encryption-customer-algorithm'] !== undefined;
    if (params.SSECustomerKey !== undefined) return sseC;
    if (params.ServerSideEncryption !== undefined) return sseCos;
    return !sseCos && !sseC;
  };
  /** What the listings (and, for equal sizes, the CRC-64s) say of one target. */
  const compare = async (
    o: ListedObject,
    key: string,
  ): Promise<'same' | 'new' | 'changed size' | 'changed content'> => {
    const size = existing.get(key);
    if (size === undefined) return 'new';
    if (size !== o.Size) return 'changed size';
    if (compareBy === 'size') return 'same';
    // An SSE-C object answers a HEAD only with its key: the source's, and the target's own. A
    // target that refuses the key it should have (another key, or not SSE-C) is not what the copy
    // would make: it differs.
    const [a, b] = await Promise.all([
      client.headObject({ Bucket: from.Bucket, Key: o.Key, ...sourceKey, ...call }),
      client
        .headObject({ Bucket: params.Bucket, Key: key, ...sseCustomerOf(params), ...call })
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode === 400 || err.statusCode === 403) return undefined;
          throw err;
        }),
    ]);
    if (!b || !encryptedAsAsked(b)) return 'changed content';
    const crc = a['x-cos-hash-crc64ecma'];
    return crc !== undefined && crc === b['x-cos-hash-crc64ecma'] ? 'same' : 'changed content';
  };

  const one = async (o: ListedObject) => {
    const file: DirectoryCopyFile = {
      sourceKey: o.Key,
      key: `${prefix}${o.Key.slice(sourcePrefix.length)}`,
      size: o.Size,
    };
    try {
      if (SkipExisting || DryRun) {
        const state = SkipExisting
          ? await compare(o, file.key)
          : existing.has(file.key)
            ? 'changed content'
            : 'new';
        if (state === 'same') {
          run.skipped(file.key, file, true);
          run.report(false);
          onFileFinish?.(undefined, { ...file, status: 'skipped' });
          return;
        }
        if (DryRun) {
          onFileFinish?.(undefined, { ...file, status: 'would-copy', reason: state });
          return;
        }
      }
      onFileStart?.(file);
      const r = await copy(client, host, {
        ...copyParams,
        Key: file.key,
        CopySource: { Bucket: from.Bucket, Region: from.Region, Key: o.Key },
        ProgressInterval: params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
        onProgress: (bytes, size) => {
          run.progress(file.key, bytes);
          run.report(false);
          onFileProgress?.(file, bytes, size);
        },
      });
      run.succeeded(file, r.ETag, r.size);
      onFileFinish?.(undefined, { ...file, status: 'copied', result: r });
    } catch (err) {
      const error = run.failed(file.key, file, err, params.signal);
      run.report(false);
      onFileFinish?.(error, { ...file, status: 'failed' });
    }
  };
  await runPool(objects.values(), { workers: fileThreads, signal: params.signal }, one);
  if (params.onProgress) params.onProgress(total, total);
  return run.result;
}
