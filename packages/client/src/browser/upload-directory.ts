/**
 * `uploadDirectory` for a web page: the files a user picked (`<input type="file" webkitdirectory
 * multiple>`: each `File` knows its `webkitRelativePath`) or dropped (see
 * {@link filesFromDataTransfer}), each uploaded by the browser `uploadFile` under `Prefix` +
 * its relative path, `FileThreads` files at a time on the one pool, with one bound on parts in
 * flight shared by all of them (as in Node). `Include`/`Exclude` mean what they mean in Node.
 */
import { crc64OfBlob } from '../body.js';
import { invalidArgument } from '../errors.js';
import { pathFilter } from '../transfer/path-filter.js';
import { runPool } from '../transfer/pool.js';
import { Semaphore } from '../transfer/semaphore.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import { type TransferOptions, UPLOAD_DEFAULTS } from '../transfer/transfer-options.js';
import { transferOptions } from '../validation.js';
import { type BrowserUploadFileResult, uploadBlob } from './upload-file.js';

/** A file and its `/`-separated path relative to the folder that was picked or dropped. */
export interface RelativeFile {
  readonly file: File;
  readonly path: string;
}

export interface BrowserUploadDirectoryParams extends TransferOptions {
  Bucket: string;
  /**
   * The files: a `FileList` or `File[]` from a folder picker (paths from `webkitRelativePath`, else
   * the file's name), or `{ file, path }` entries (e.g. from {@link filesFromDataTransfer}).
   */
  Files: FileList | readonly File[] | readonly RelativeFile[];
  /** Prepended to each relative path to make its key (e.g. `uploads/`). Default ''. */
  Prefix?: string;
  /** Files uploaded at once. Default 4 (a browser keeps ~6 connections per host). */
  FileThreads?: number;
  /** Skip files whose object exists with the same size and CRC-64 (a HEAD per file). Default false. */
  SkipExisting?: boolean;
  /** Globs of relative paths to upload (same meaning as in Node); default all. */
  Include?: string[];
  /** Globs of relative paths to leave out. */
  Exclude?: string[];
  /** Passed to each file's `uploadFile`. */
  MultipartThreshold?: number;
  Checkpoint?: boolean;
  onFileStart?: (file: { path: string; key: string; size: number }) => void;
  onFileProgress?: (file: { path: string; key: string }, consumedBytes: number, totalBytes: number) => void;
  onFileFinish?: (
    error: Error | undefined,
    file: {
      path: string;
      key: string;
      size: number;
      status: 'uploaded' | 'skipped' | 'failed';
      result?: BrowserUploadFileResult;
    },
  ) => void;
}

export interface BrowserUploadDirectoryResult {
  /** True when no file failed (the seed's `success_all`). */
  success_all: boolean;
  succeeded: { path: string; key: string; ETag: string; size: number }[];
  skipped: { path: string; key: string; size: number }[];
  failed: { path: string; key: string; error: Error }[];
}

/** The relative files of a picker's list, or entries as given. */
function relativeFiles(files: BrowserUploadDirectoryParams['Files']): RelativeFile[] {
  const out: RelativeFile[] = [];
  for (const item of Array.from(files as ArrayLike<File | RelativeFile>)) {
    if (typeof File !== 'undefined' && item instanceof File) {
      out.push({ file: item, path: item.webkitRelativePath || item.name });
    } else if (item && typeof item === 'object' && 'file' in item && typeof item.path === 'string') {
      out.push(item);
    } else {
      throw invalidArgument('uploadDirectory Files must be a FileList, File[] or { file, path }[] entries.');
    }
  }
  return out;
}

export async function uploadFiles(
  client: TransferClient,
  endpoint: string,
  input: BrowserUploadDirectoryParams,
): Promise<BrowserUploadDirectoryResult> {
  const params = transferOptions(input);
  const keep = pathFilter(params.Include ?? [], params.Exclude ?? []);
  const files = relativeFiles(params.Files)
    .map((f) => ({ ...f, path: f.path.replace(/^\/+/, '') }))
    .filter((f) => f.path !== '' && keep(f.path));
  const prefix = params.Prefix ?? '';
  const fileThreads = params.FileThreads ?? 4;
  const maxThread = params.MAXThread ?? UPLOAD_DEFAULTS.maxThread;
  const slots = new Semaphore(Math.max(maxThread, fileThreads));
  const result: BrowserUploadDirectoryResult = { success_all: true, succeeded: [], skipped: [], failed: [] };
  const {
    Files: _files,
    Prefix: _prefix,
    FileThreads: _threads,
    SkipExisting,
    Include: _include,
    Exclude: _exclude,
    onFileStart,
    onFileProgress,
    onFileFinish,
    onProgress: _onProgress,
    ...perFile
  } = params;
  await runPool(
    files.values(),
    { workers: fileThreads, signal: params.signal, continueOnError: true },
    async (f) => {
      const key = prefix + f.path;
      const about = { path: f.path, key, size: f.file.size };
      try {
        if (SkipExisting) {
          const head = await client
            .headObject({
              Bucket: params.Bucket,
              Key: key,
              ...(params.signal ? { signal: params.signal } : {}),
            })
            .catch((err: { statusCode?: number }) => {
              if (err.statusCode === 404) return undefined;
              throw err;
            });
          const remote = head?.['x-cos-hash-crc64ecma'];
          if (
            head &&
            head['Content-Length'] === f.file.size &&
            remote !== undefined &&
            remote === (await crc64OfBlob(f.file)).crc64
          ) {
            result.skipped.push(about);
            onFileFinish?.(undefined, { ...about, status: 'skipped' });
            return;
          }
        }
        onFileStart?.(about);
        const r = await uploadBlob(
          client,
          endpoint,
          {
            ...perFile,
            Key: key,
            Body: f.file,
            ...(onFileProgress
              ? { onProgress: (done: number, total: number) => onFileProgress(about, done, total) }
              : {}),
          },
          slots,
        );
        result.succeeded.push({ path: f.path, key, ETag: r.ETag, size: f.file.size });
        onFileFinish?.(undefined, { ...about, status: 'uploaded', result: r });
      } catch (err) {
        result.success_all = false;
        result.failed.push({ path: f.path, key, error: err as Error });
        onFileFinish?.(err as Error, { ...about, status: 'failed' });
      }
    },
  );
  return result;
}

/**
 * Every file of a drop (`event.dataTransfer`), folders walked through the File and Directory
 * Entries API (what Chromium, Firefox and Safari support for dropped folders), each with its path
 * relative to what was dropped (`photos/2026/a.jpg`); the plain files of `data.files` where the
 * browser offers no entries. Call it in the `drop` handler before awaiting anything else: the
 * browser empties the DataTransfer once the handler returns.
 */
export async function filesFromDataTransfer(data: DataTransfer): Promise<RelativeFile[]> {
  const entries = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return Array.from(data.files, (file) => ({ file, path: file.name }));
  const out: RelativeFile[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      out.push({ file, path });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches (Chromium: 100) until it answers none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) return;
      for (const child of batch) await walk(child, `${path}/${child.name}`);
    }
  };
  for (const entry of entries) await walk(entry, entry.name);
  return out;
}
