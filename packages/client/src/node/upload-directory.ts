/**
 * `uploadDirectory`: the seed's batch upload of a local folder. Files go `FileThreads` at a time
 * (on the one worker pool), each through `uploadFile`, with one bound on parts in flight shared by
 * all of them (`max(MAXThread, FileThreads)` requests carrying file bytes), over the client's
 * keep-alive connections. With `SkipExisting`, an object that already equals the local file is left
 * alone: the prefix is listed once, and only files whose object has the same size are HEADed for
 * the CRC-64 (`CompareBy: 'size'`: none).
 */
import { setMaxListeners } from 'node:events';
import { invalidArgument } from '../errors.js';
import { FolderRun } from '../transfer/folder-run.js';
import { listEveryObject } from '../transfer/list-objects.js';
import { runPool } from '../transfer/pool.js';
import { Semaphore } from '../transfer/semaphore.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { type TransferOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { requireLocalPath, transferOptions } from '../validation.js';
import { defaultCheckpointDir } from './checkpoint.js';
import { keyFor, type LocalFile, type SkippedEntry, walkDirectory } from './directory-walk.js';
import { FolderJournal, folderJournalPath } from './folder-journal.js';
import {
  compareWithObject,
  type ObjectComparison,
  type UploadFileParams,
  type UploadFileResult,
  uploadFile,
} from './upload-file.js';

export interface UploadDirectoryParams extends TransferOptions {
  Bucket: string;
  LocalDir: string;
  /** Prepended to each file's relative path to make its key (e.g. `backup/2026/`). Default ''. */
  Prefix?: string;
  /** Files uploaded at once. Default 16 (small files are latency-bound). */
  FileThreads?: number;
  /**
   * Skip files whose object already equals them (see `CompareBy`). The prefix is listed once (one
   * GET Bucket per 1000 keys): a file whose key is missing or of another size is uploaded without a
   * request of its own; only equal sizes need a HEAD (for the CRC-64). Default false.
   */
  SkipExisting?: boolean;
  /**
   * Keep a journal of the files the server acknowledged (in `CheckpointDir`), so that the same
   * upload run again after an interruption skips them without a request (`skipped`, with
   * `reason: 'uploaded before'`); a file whose size or mtime changed goes again. The journal is
   * deleted when a run uploads every file. Big files resume from their checkpoints either way.
   * Default false.
   */
  Resume?: boolean;
  /**
   * How `SkipExisting` decides "equal": `crc64` (default) — same size and CRC-64 (a HEAD and a read
   * of the file, only when the sizes match); `size` — same size alone, from the listing.
   */
  CompareBy?: 'crc64' | 'size';
  /**
   * Globs (picomatch) of relative paths to upload; default all. A pattern with a `/` matches the
   * whole relative path (`logs/**`); one without matches any name along it (`*.log`,
   * `node_modules`).
   */
  Include?: string[];
  /** Globs of relative paths to leave out (same meaning as `Include`). */
  Exclude?: string[];
  /**
   * Symbolic links in the folder: `follow` (default) uploads what they point to, loop-safe; `skip`
   * leaves them out. Either way `onSkippedEntry` hears of each link, broken link, loop,
   * unreadable folder or device left out.
   */
  Symlinks?: 'skip' | 'follow';
  onSkippedEntry?: (entry: SkippedEntry) => void;
  /**
   * Send nothing: report each file through `onFileFinish` as `would-upload` (with the reason) or,
   * with `SkipExisting`, `skipped`. Only the SkipExisting HEADs are sent. Default false.
   */
  DryRun?: boolean;
  /** Content-Type of each file (e.g. guessed from its name) when `ContentType` is not given. */
  ContentTypeOf?: (localPath: string) => string | undefined;
  /**
   * Called once, after the folder is walked: how many files (and bytes) will be considered, and
   * with `Resume`, how many of them an interrupted run already uploaded.
   */
  onStart?: (totals: { files: number; bytes: number; resumedFiles: number; resumedBytes: number }) => void;
  /**
   * Called once per file when it is uploaded, skipped or has failed; `result` is uploadFile's
   * (bytes sent, parts resumed, ETag, CRC-64) for uploaded and skipped files.
   */
  onFileFinish?: (
    error: Error | undefined,
    file: {
      path: string;
      key: string;
      size: number;
      status: 'uploaded' | 'skipped' | 'failed' | 'would-upload';
      result?: UploadFileResult;
      /** Why a `would-upload` file would go (DryRun), or why a file was skipped without a check. */
      reason?: 'new' | 'changed size' | 'changed content' | 'uploaded before';
    },
  ) => void;
  /** Called when a file starts uploading (after any SkipExisting check). */
  onFileStart?: (file: { path: string; key: string; size: number }) => void;
  /** A file continues an interrupted upload: `reusedBytes` of it are on the server already (see `onResume`). */
  onFileResume?: (file: { path: string; key: string }, reusedBytes: number, totalBytes: number) => void;
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

export async function uploadDirectory(
  client: TransferClient,
  host: string,
  params: UploadDirectoryParams,
): Promise<UploadDirectoryResult> {
  params = transferOptions(params);
  requireLocalPath('LocalDir', params.LocalDir, 'a local folder');
  const fileThreads = params.FileThreads ?? 16;
  if (!Number.isInteger(fileThreads) || fileThreads < 1 || fileThreads > 256) {
    throw invalidArgument(`FileThreads must be an integer from 1 to 256; got ${fileThreads}.`);
  }
  const files = await walkDirectory(params.LocalDir, {
    include: params.Include,
    exclude: params.Exclude,
    symlinks: params.Symlinks,
    onSkipped: params.onSkippedEntry,
  }).catch((err: NodeJS.ErrnoException) => {
    throw invalidArgument(`LocalDir "${params.LocalDir}" cannot be read: ${err.code ?? err.message}.`);
  });
  // One bound on requests carrying file bytes across all files: parts of big files and whole small
  // files alike, so that small files are not throttled to MAXThread.
  // The caller's signal fans out to every request of every file: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const compareBy = params.CompareBy ?? 'crc64';
  if (compareBy !== 'crc64' && compareBy !== 'size') {
    throw invalidArgument(`CompareBy must be "crc64" or "size"; got "${String(compareBy)}".`);
  }
  // What the prefix holds, by key → size: the skip check needs no request for most files.
  let listed: Map<string, number> | undefined;
  if (params.SkipExisting) {
    listed = new Map();
    const prefix = keyFor(params.Prefix ?? '', '');
    for await (const o of listEveryObject(client, {
      Bucket: params.Bucket,
      Prefix: prefix,
      signal: params.signal,
    }))
      listed.set(o.Key, o.Size);
  }
  const slots = new Semaphore(Math.max(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, fileThreads));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const journal =
    params.Resume && !params.DryRun
      ? await FolderJournal.open(
          folderJournalPath(params.CheckpointDir ?? defaultCheckpointDir(), {
            host,
            bucket: params.Bucket,
            prefix: params.Prefix ?? '',
            localDir: params.LocalDir,
            include: params.Include,
            exclude: params.Exclude,
          }),
        )
      : undefined;
  const journaled = journal
    ? files.filter((f) => journal.has(f, keyFor(params.Prefix ?? '', f.relative)))
    : [];
  params.onStart?.({
    files: files.length,
    bytes: total,
    resumedFiles: journaled.length,
    resumedBytes: journaled.reduce((sum, f) => sum + f.size, 0),
  });
  const run = new FolderRun<{ path: string; key: string; size: number }>(
    total,
    params.onProgress ?? undefined,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const {
    onStart: _onStart,
    DryRun,
    ContentTypeOf,
    onFileFinish,
    onFileStart,
    onFileProgress,
    onFileResume,
    onProgress: _onProgress,
    LocalDir: _dir,
    Prefix,
    FileThreads: _ft,
    Include: _i,
    Exclude: _e,
    Resume: _r,
    Symlinks: _s,
    onSkippedEntry: _o,
    CompareBy: _cb,
    ...fileParams
  } = params;

  /** The listing's verdict on one file; `undefined` when only the CRC-64 can tell. */
  const byListing = (
    key: string,
    size: number,
  ): { same: true } | Extract<ObjectComparison, { same: false }> | undefined => {
    if (!listed) return { same: false, reason: 'new' };
    const remote = listed.get(key);
    if (remote === undefined) return { same: false, reason: 'new' };
    if (remote !== size) return { same: false, reason: 'changed size' };
    return compareBy === 'size' ? { same: true } : undefined;
  };

  const one = async (file: LocalFile) => {
    const key = keyFor(Prefix ?? '', file.relative);
    const where = { path: file.path, key, size: file.size };
    try {
      if (journal?.has(file, key)) {
        run.skipped(file.path, where, true);
        onFileFinish?.(undefined, { ...where, status: 'skipped', reason: 'uploaded before' });
        return;
      }
      const known = byListing(key, file.size);
      if (known?.same) {
        run.skipped(file.path, where, true);
        onFileFinish?.(undefined, { ...where, status: 'skipped' });
        return;
      }
      if (DryRun) {
        const compared =
          known ??
          (await compareWithObject(
            client,
            { Bucket: params.Bucket, Key: key, LocalFilePath: file.path, signal: params.signal },
            file.size,
          ));
        if (compared.same) {
          run.skipped(file.path, where, false);
          onFileFinish?.(undefined, { ...where, status: 'skipped' });
        } else onFileFinish?.(undefined, { ...where, status: 'would-upload', reason: compared.reason });
        return;
      }
      // The skip check is uploadFile's; onFileStart comes once the file is known to go.
      const tracked = run.track(file.path, where, { onFileStart, onFileResume, onFileProgress });
      // Only equal sizes need uploadFile's own skip check (HEAD + CRC-64).
      const checkCrc = fileParams.SkipExisting === true && known === undefined;
      if (!checkCrc) tracked.start();
      const uploadParams: UploadFileParams = {
        ...fileParams,
        SkipExisting: checkCrc,
        Key: key,
        LocalFilePath: file.path,
        ...(fileParams.ContentType === undefined && ContentTypeOf?.(file.path) !== undefined
          ? { ContentType: ContentTypeOf(file.path) }
          : {}),
        onResume: tracked.onResume,
        onProgress: tracked.onProgress,
      };
      const r: UploadFileResult = await uploadFile(client, host, uploadParams, { slots }, file.size);
      if (r.skipped) {
        run.skipped(file.path, where, false);
        onFileFinish?.(undefined, { ...where, status: 'skipped', result: r });
      } else {
        tracked.start();
        await journal?.record({
          rel: file.relative,
          size: file.size,
          mtimeMs: file.mtimeMs,
          key,
          etag: r.ETag,
        });
        run.succeeded(where, r.ETag, file.size);
        onFileFinish?.(undefined, { ...where, status: 'uploaded', result: r });
      }
    } catch (err) {
      const error = run.failed(file.path, where, err, params.signal);
      onFileFinish?.(error, { ...where, status: 'failed' });
    }
  };
  await runPool(files.values(), { workers: fileThreads, signal: params.signal }, one);
  if (journal) {
    if (run.result.failed.length === 0 && !params.signal?.aborted) await journal.remove();
    else await journal.flush();
  }
  run.report(true);
  return run.result;
}
