/**
 * The checkpoint file of a resumable upload: which upload id, part size and local file it belongs
 * to, and every part already acknowledged by the server with its ETag and CRC-64. Written
 * atomically (temp file, fsync, rename, directory fsync), so a process killed at any instant leaves
 * the previous complete checkpoint or the new one, never a torn file.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FileIdentity } from './file-identity.js';
import { JsonFileWriter, readJsonFile, writeJsonFileAtomic } from './json-state-file.js';

/** A part the server acknowledged. */
export interface CheckpointPart {
  /** Quoted ETag as the server returned it. */
  readonly etag: string;
  /** CRC-64 of the part's bytes, decimal. */
  readonly crc64: string;
  readonly size: number;
}

export interface CheckpointData {
  readonly version: 1;
  /** Where the upload lives: endpoint host, bucket, key. */
  readonly host: string;
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  /** Part size in bytes; a resumed run must use the same. */
  readonly partSize: number;
  readonly partCount: number;
  readonly filePath: string;
  readonly file: FileIdentity;
  /** Part number → acknowledged part. */
  readonly parts: Record<string, CheckpointPart>;
}

/** Default checkpoint folder: `~/.coskit/checkpoints`. */
export function defaultCheckpointDir(): string {
  return join(homedir(), '.coskit', 'checkpoints');
}

/** The checkpoint file of one (endpoint, bucket, key, local file) upload. */
export function checkpointPath(
  dir: string,
  host: string,
  bucket: string,
  key: string,
  filePath: string,
): string {
  const id = createHash('sha256')
    .update(JSON.stringify([host, bucket, key, resolve(filePath)]))
    .digest('hex')
    .slice(0, 40);
  return join(dir, `${id}.json`);
}

function isCheckpoint(value: unknown): value is CheckpointData {
  const v = value as Partial<CheckpointData> | null;
  return (
    !!v &&
    v.version === 1 &&
    typeof v.uploadId === 'string' &&
    typeof v.partSize === 'number' &&
    typeof v.partCount === 'number' &&
    typeof v.parts === 'object' &&
    v.parts !== null &&
    typeof v.file === 'object'
  );
}

/** Reads a checkpoint; undefined when absent or unreadable (a fresh upload is then started). */
export function loadCheckpoint(path: string): Promise<CheckpointData | undefined> {
  return readJsonFile(path, isCheckpoint);
}

/** Writes `data` to `path` atomically and durably. */
export function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  return writeJsonFileAtomic(path, data);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Serialised, coalescing checkpoint saves (see {@link JsonFileWriter}). */
export class CheckpointWriter extends JsonFileWriter<CheckpointData> {}
