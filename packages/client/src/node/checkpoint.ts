/**
 * Checkpoint files of the resumable transfers: `uploadFile` (upload id and acknowledged parts),
 * `downloadFile` (finished ranges), `appendFile` (bytes appended) and `copy` (parts copied). One format family: a JSON
 * object naming where the transfer lives (endpoint host, bucket, key, local file or copy source), its part size,
 * and what is done with the CRC-64 of each piece. Written atomically (state-file.ts), so a process
 * killed at any instant leaves the previous complete checkpoint or the new one, never a torn file.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CheckpointPart } from '../transfer/upload-resume.js';
import type { FileIdentity } from './file-identity.js';
import { JsonFileWriter, readJsonFile, removeStaleTemps, writeJsonFileAtomic } from './state-file.js';

export type { CheckpointPart };

/** Fields every checkpoint has. */
interface TransferCheckpointBase {
  readonly version: 1;
  /** Where the transfer lives: endpoint host, bucket, key. */
  readonly host: string;
  readonly bucket: string;
  readonly key: string;
  /** Part (range, append chunk) size in bytes; a resumed run must use the same. */
  readonly partSize: number;
}

/** Fields of the checkpoints of transfers to or from a local file. */
interface CheckpointBase extends TransferCheckpointBase {
  /** The local file (absolute path). */
  readonly filePath: string;
}

/** `uploadFile`: the multipart upload and its acknowledged parts. */
export interface CheckpointData extends CheckpointBase {
  readonly uploadId: string;
  readonly partCount: number;
  readonly file: FileIdentity;
  /** Part number → acknowledged part. */
  readonly parts: Record<string, CheckpointPart>;
  /** Set once Complete succeeded (the object exists; only the checkpoint's removal is left). */
  readonly completed?: { readonly crc64: string | undefined; readonly size: number; readonly etag: string };
}

/** `downloadFile`: the object's version and the ranges written to the partial file. */
export interface DownloadCheckpoint extends CheckpointBase {
  readonly kind: 'download';
  /** The object's ETag and size when the download started: another version is not resumed. */
  readonly etag: string;
  readonly size: number;
  readonly partCount: number;
  /** Range number (1-based) → CRC-64 and length of the bytes written. */
  readonly parts: Record<string, { readonly crc64: string; readonly size: number }>;
}

/** `appendFile`: where this file's bytes started in the object and how many are appended. */
export interface AppendCheckpoint extends CheckpointBase {
  readonly kind: 'append';
  readonly file: FileIdentity;
  /** The object's length when this file's first byte was appended. */
  readonly start: number;
  /** Bytes of the file appended and acknowledged. */
  readonly appended: number;
  /** The object's CRC-64 after them (decimal), when the server gave one. */
  readonly crc64: string | undefined;
}

/** `copy`: the multipart copy of one source version and the parts already copied. */
export interface CopyCheckpoint extends TransferCheckpointBase {
  readonly kind: 'copy';
  /** The source as `x-cos-copy-source` names it. */
  readonly source: string;
  /** The source's ETag and size when the copy started: another version is not resumed. */
  readonly sourceEtag: string;
  readonly size: number;
  readonly uploadId: string;
  readonly partCount: number;
  /** Part number → copied part (ETag, CRC-64 when the server gave one, size). */
  readonly parts: Record<string, CheckpointPart>;
}

export type CheckpointKind = 'upload' | 'download' | 'append' | 'copy';

/** Default checkpoint folder: `~/.coskit/checkpoints`. */
export function defaultCheckpointDir(): string {
  return join(homedir(), '.coskit', 'checkpoints');
}

/**
 * The checkpoint file of one (kind, endpoint, bucket, key, local file — or for a copy, the source)
 * transfer: `<dir>/<hash>.json` for uploads (the name earlier releases used),
 * `<dir>/<kind>-<hash>.json` for the others.
 */
export function checkpointPath(
  dir: string,
  kind: CheckpointKind,
  host: string,
  bucket: string,
  key: string,
  filePathOrSource: string,
): string {
  const other = kind === 'copy' ? filePathOrSource : resolve(filePathOrSource);
  const id = createHash('sha256')
    .update(JSON.stringify([host, bucket, key, other]))
    .digest('hex')
    .slice(0, 40);
  return join(dir, kind === 'upload' ? `${id}.json` : `${kind}-${id}.json`);
}

function hasBase(v: Partial<TransferCheckpointBase> | null): boolean {
  return !!v && v.version === 1 && typeof v.partSize === 'number';
}

function isCheckpoint(value: unknown): value is CheckpointData {
  const v = value as Partial<CheckpointData> | null;
  return (
    hasBase(v) &&
    typeof v?.uploadId === 'string' &&
    typeof v.partCount === 'number' &&
    typeof v.parts === 'object' &&
    v.parts !== null &&
    typeof v.file === 'object'
  );
}

function isDownloadCheckpoint(value: unknown): value is DownloadCheckpoint {
  const v = value as Partial<DownloadCheckpoint> | null;
  return (
    hasBase(v) &&
    v?.kind === 'download' &&
    typeof v.etag === 'string' &&
    typeof v.size === 'number' &&
    typeof v.parts === 'object' &&
    v.parts !== null
  );
}

function isAppendCheckpoint(value: unknown): value is AppendCheckpoint {
  const v = value as Partial<AppendCheckpoint> | null;
  return (
    hasBase(v) &&
    v?.kind === 'append' &&
    typeof v.file === 'object' &&
    typeof v.start === 'number' &&
    typeof v.appended === 'number'
  );
}

function isCopyCheckpoint(value: unknown): value is CopyCheckpoint {
  const v = value as Partial<CopyCheckpoint> | null;
  return (
    hasBase(v) &&
    v?.kind === 'copy' &&
    typeof v.source === 'string' &&
    typeof v.sourceEtag === 'string' &&
    typeof v.size === 'number' &&
    typeof v.uploadId === 'string' &&
    typeof v.partCount === 'number' &&
    typeof v.parts === 'object' &&
    v.parts !== null
  );
}

/**
 * Reads an upload checkpoint; undefined when absent or unreadable (a fresh upload is then
 * started). Every load first removes the leftover temp files of a writer killed mid-save.
 */
export async function loadCheckpoint(path: string): Promise<CheckpointData | undefined> {
  await removeStaleTemps(path);
  return readJsonFile(path, isCheckpoint);
}

export async function loadDownloadCheckpoint(path: string): Promise<DownloadCheckpoint | undefined> {
  await removeStaleTemps(path);
  return readJsonFile(path, isDownloadCheckpoint);
}

export async function loadAppendCheckpoint(path: string): Promise<AppendCheckpoint | undefined> {
  await removeStaleTemps(path);
  return readJsonFile(path, isAppendCheckpoint);
}

export async function loadCopyCheckpoint(path: string): Promise<CopyCheckpoint | undefined> {
  await removeStaleTemps(path);
  return readJsonFile(path, isCopyCheckpoint);
}

/** Writes `data` to `path` atomically and durably. */
export function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  return writeJsonFileAtomic(path, data);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Serialised, coalescing checkpoint saves (see {@link JsonFileWriter}). */
export class CheckpointWriter<T = CheckpointData> extends JsonFileWriter<T> {}
