/**
 * `downloadDirectory`: every object under a prefix to a local folder, the mirror of
 * `uploadDirectory`. The prefix is listed (one GET Bucket per 1000 keys), `Include`/`Exclude` keep
 * keys by their path below the prefix (the one meaning of those globs), and each object goes through
 * `downloadFile` (ranged, resumable, CRC-64 checked), `FileThreads` at a time on the one worker
 * pool. Memory: the listing (a few hundred bytes per object) plus each download's few 256 KiB
 * chunks; a download streams to disk, so no part buffers.
 */
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../errors.js';
import { type SseCustomerKeyParams, sseCustomerOf } from '../operations/common.js';
import { FolderRun } from '../transfer/folder-run.js';
import { type ListedObject, listEveryObject } from '../transfer/list-objects.js';
import { pathFilter } from '../transfer/path-filter.js';
import { runPool } from '../transfer/pool.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { type TransferBaseOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { requireBucket, requireLocalPath, transferOptions } from '../validation.js';
import { type DownloadFileResult, downloadFile, localFileEquals } from './download-file.js';
import { localPathFor } from './local-path.js';

/** `SSECustomer*`: one SSE-C key, sent with every object's HEAD and GETs. */
export interface DownloadDirectoryParams extends Omit<TransferBaseOptions, 'signal'>, SseCustomerKeyParams {
  Bucket: string;
  /** Objects whose key starts with this (e.g. `backup/2026/`); each lands at `LocalDir/<key minus Prefix>`. Default ''. */
  Prefix?: string;
  /** The local folder (created as needed). */
  LocalDir: string;
  /** Objects downloaded at once. Default 16. Requests in flight: up to `FileThreads × MAXThread`. */
  FileThreads?: number;
  /** Leave a local file alone when it already equals its object (see `CompareBy`). Default false. */
  SkipExisting?: boolean;
  /**
   * How `SkipExisting` decides "equal": `crc64` (default) — same size (from the listing) and same
   * CRC-64 (one HEAD and a read of the local file, only when the sizes match); `size` — same size
   * alone, from the listing, with no request per file.
   */
  CompareBy?: 'crc64' | 'size';
  /** Globs of paths below `Prefix` to download; same meaning as uploadDirectory's `Include`. */
  Include?: string[];
  /** Globs of paths below `Prefix` to leave out. */
  Exclude?: string[];
  /**
   * Receive nothing: report each object through `onFileFinish` as `would-download` (with the
   * reason) or, with `SkipExisting`, `skipped`. Default false.
   */
  DryRun?: boolean;
  /** `false`: never replace an existing local file (see downloadFile's `Overwrite`). Default true. */
  Overwrite?: boolean;
  /** Folder of the downloads' checkpoints. Default `~/.coskit/checkpoints`. */
  CheckpointDir?: string;
  /** Cancels every download; ranged ones stay resumable. */
  signal?: AbortSignal;
  /** Called once, after the listing: how many objects (and bytes) will be considered. */
  onStart?: (totals: { files: number; bytes: number }) => void;
  /** Called when an object starts downloading (after any SkipExisting check). */
  onFileStart?: (file: DirectoryDownloadFile) => void;
  /** Per-object byte progress (monotonic, throttled like `onProgress`, last call at 100 %). */
  onFileProgress?: (file: DirectoryDownloadFile, consumedBytes: number, totalBytes: number) => void;
  /** A file continues an interrupted download: `reusedBytes` of it are on disk already (see `onResume`). */
  onFileResume?: (file: DirectoryDownloadFile, reusedBytes: number, totalBytes: number) => void;
  /** Called once per object when it is downloaded, skipped or has failed. */
  onFileFinish?: (
    error: Error | undefined,
    file: DirectoryDownloadFile & {
      status: 'downloaded' | 'skipped' | 'failed' | 'would-download';
      /** downloadFile's result (bytes received, resumed, ETag, CRC-64; skipReason) for downloaded and skipped objects. */
      result?: DownloadFileResult;
      /** Why a `would-download` object would come (DryRun). */
      reason?: 'new' | 'changed size' | 'changed content';
    },
  ) => void;
}

/** One object of the folder and where it lands. */
export interface DirectoryDownloadFile {
  readonly key: string;
  /** The local file ('' when the key names no file under LocalDir: that object fails). */
  readonly path: string;
  readonly size: number;
}

export interface DownloadDirectoryResult {
  /** True when no object failed. */
  success_all: boolean;
  succeeded: { key: string; path: string; ETag: string; size: number }[];
  skipped: { key: string; path: string; size: number }[];
  failed: { key: string; path: string; error: Error }[];
}

export async function downloadDirectory(
  client: TransferClient<Readable>,
  host: string,
  params: DownloadDirectoryParams,
): Promise<DownloadDirectoryResult> {
  params = transferOptions(params);
  requireBucket(params.Bucket);
  requireLocalPath('LocalDir', params.LocalDir, 'a local folder');
  const fileThreads = params.FileThreads ?? 16;
  if (!Number.isInteger(fileThreads) || fileThreads < 1 || fileThreads > 256) {
    throw invalidArgument(`FileThreads must be an integer from 1 to 256; got ${fileThreads}.`);
  }
  const compareBy = params.CompareBy ?? 'crc64';
  if (compareBy !== 'crc64' && compareBy !== 'size') {
    throw invalidArgument(`CompareBy must be "crc64" or "size"; got "${String(compareBy)}".`);
  }
  const prefix = params.Prefix ?? '';
  const keep = pathFilter(params.Include ?? [], params.Exclude ?? []);
  // The signal fans out to every request of every object: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const objects: ListedObject[] = [];
  for await (const o of listEveryObject(client, {
    Bucket: params.Bucket,
    Prefix: prefix,
    signal: params.signal,
  })) {
    // A key ending in "/" is a folder marker: no file to write.
    if (!o.Key.endsWith('/') && keep(o.Key.slice(prefix.length))) objects.push(o);
  }
  const total = objects.reduce((sum, o) => sum + o.Size, 0);
  params.onStart?.({ files: objects.length, bytes: total });

  const run = new FolderRun<DirectoryDownloadFile>(
    total,
    params.onProgress ?? undefined,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const { onFileFinish } = params;

  const one = async (o: ListedObject) => {
    const file: DirectoryDownloadFile = {
      key: o.Key,
      path: localPathFor(params.LocalDir, o.Key.slice(prefix.length)) ?? '',
      size: o.Size,
    };
    try {
      if (file.path === '') {
        throw invalidArgument(
          `the key "${o.Key}" names no file under "${params.LocalDir}" (an empty, "." or ".." segment); download it with downloadFile and a DestFilePath of your choice.`,
        );
      }
      // What the listing alone can tell: missing or of another size means it comes.
      const local =
        params.SkipExisting || params.DryRun ? await stat(file.path).catch(() => undefined) : undefined;
      const listed: 'new' | 'changed size' | 'same size' = !local?.isFile()
        ? 'new'
        : local.size !== o.Size
          ? 'changed size'
          : 'same size';
      if (params.SkipExisting && listed === 'same size' && compareBy === 'size') {
        skip(file);
        return;
      }
      if (params.DryRun) {
        if (params.SkipExisting && listed === 'same size') {
          // Only the CRC-64 can tell: downloadFile's own check, without receiving anything.
          const head = await client.headObject({ Bucket: params.Bucket, Key: o.Key, ...call() });
          if (await localFileEquals(file.path, head, params.signal)) {
            skip(file);
            return;
          }
        }
        onFileFinish?.(undefined, {
          ...file,
          status: 'would-download',
          reason: listed === 'same size' ? 'changed content' : listed,
        });
        return;
      }
      const tracked = run.track(o.Key, file, params);
      // A size that differs needs no CRC-64 check: downloadFile's skip check only runs on equal sizes.
      const checkCrc = params.SkipExisting === true && listed === 'same size';
      if (!checkCrc) tracked.start();
      const r = await downloadFile(client, host, {
        Bucket: params.Bucket,
        Key: o.Key,
        DestFilePath: file.path,
        SkipExisting: checkCrc,
        ...pick(params),
        ...sseCustomerOf(params),
        onResume: tracked.onResume,
        onProgress: tracked.onProgress,
      });
      if (r.skipped) {
        skip(file, r);
        return;
      }
      tracked.start();
      run.succeeded(file, r.ETag, r.size);
      onFileFinish?.(undefined, { ...file, status: 'downloaded', result: r });
    } catch (err) {
      const error = run.failed(o.Key, file, err, params.signal);
      onFileFinish?.(error, { ...file, status: 'failed' });
    }
  };
  const call = () => (params.signal ? { signal: params.signal } : {});
  const skip = (file: DirectoryDownloadFile, r?: DownloadFileResult) => {
    run.skipped(file.key, file, true);
    onFileFinish?.(undefined, { ...file, status: 'skipped', ...(r ? { result: r } : {}) });
  };
  await runPool(objects.values(), { workers: fileThreads, signal: params.signal }, one);
  run.report(true);
  return run.result;
}

/** The options each object's downloadFile takes from the folder's. */
function pick(p: DownloadDirectoryParams) {
  return {
    ...(p.PartSize !== undefined ? { PartSize: p.PartSize } : {}),
    ...(p.MAXThread !== undefined ? { MAXThread: p.MAXThread } : {}),
    ...(p.EnableCRC !== undefined ? { EnableCRC: p.EnableCRC } : {}),
    ...(p.TrafficLimit !== undefined ? { TrafficLimit: p.TrafficLimit } : {}),
    ...(p.ProgressInterval !== undefined ? { ProgressInterval: p.ProgressInterval } : {}),
    ...(p.CheckpointDir !== undefined ? { CheckpointDir: p.CheckpointDir } : {}),
    ...(p.Overwrite !== undefined ? { Overwrite: p.Overwrite } : {}),
    ...(p.signal ? { signal: p.signal } : {}),
  };
}
