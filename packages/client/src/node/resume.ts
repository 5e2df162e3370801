/**
 * Finding where an interrupted multipart upload of a local file stands.
 *
 * 1. From the checkpoint file (fast path): its upload id and acknowledged parts, confirmed with one
 *    List Parts pass (transfer/upload-resume.ts; nothing is re-read locally).
 * 2. Without one (another process or machine): List Multipart Uploads for the key, newest first,
 *    and List Parts of each candidate; listed parts are accepted only when their size and MD5
 *    (the ETag) match the local slices, as the official SDKs do.
 */
import type { FileHandle } from 'node:fs/promises';
import type { CallOptions } from '../operations/common.js';
import { type PartPlan, partAt } from '../transfer/part-plan.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import {
  confirmParts,
  type DoneParts,
  listAllParts,
  listKeyUploads,
  type UploadTarget,
} from '../transfer/upload-resume.js';
import type { CheckpointData } from './checkpoint.js';
import { type FileIdentity, sameIdentity } from './file-identity.js';
import { digestsOf, readSlice } from './file-slice.js';

export interface ResumePoint {
  readonly uploadId: string;
  readonly done: DoneParts;
  readonly from: 'checkpoint' | 'listing';
}

const unquote = (etag: string) => etag.replace(/"/g, '').toLowerCase();

/**
 * Confirms a checkpoint: keeps the parts the server still lists with the same ETag and size.
 * Returns 'stale' when the checkpoint does not belong to this file any more, undefined when the
 * upload is gone (the caller starts afresh and, for a changed file, aborts the stale upload).
 */
export async function resumeFromCheckpoint(
  client: TransferClient,
  target: UploadTarget,
  checkpoint: CheckpointData,
  plan: PartPlan,
  file: FileIdentity,
  call: CallOptions,
): Promise<ResumePoint | 'stale' | undefined> {
  if (
    !sameIdentity(checkpoint.file, file) ||
    checkpoint.partSize !== plan.partSize ||
    checkpoint.partCount !== plan.partCount
  ) {
    return 'stale';
  }
  const done = await confirmParts(client, target, checkpoint.uploadId, checkpoint.parts, call);
  return done ? { uploadId: checkpoint.uploadId, done, from: 'checkpoint' } : undefined;
}

/** Looks for an upload of `target.Key` whose listed parts all match the local file's slices. */
export async function resumeFromListing(
  client: TransferClient,
  target: UploadTarget,
  plan: PartPlan,
  file: FileHandle,
  call: CallOptions,
): Promise<ResumePoint | undefined> {
  const candidates = await listKeyUploads(client, target, call);
  // Newest first: upload ids start with the initiation time, and Initiated says it too.
  candidates.sort((a, b) =>
    a.Initiated === b.Initiated ? (a.UploadId < b.UploadId ? 1 : -1) : a.Initiated < b.Initiated ? 1 : -1,
  );
  let buffer: Uint8Array | undefined;
  for (const candidate of candidates) {
    const listed = await listAllParts(client, target, candidate.UploadId, call);
    if (!listed || listed.length === 0) continue;
    const done: DoneParts = new Map();
    let matches = true;
    for (const part of listed) {
      if (part.PartNumber < 1 || part.PartNumber > plan.partCount) {
        matches = false;
        break;
      }
      const { start, end } = partAt(plan, part.PartNumber);
      if (part.Size !== end - start) {
        matches = false;
        break;
      }
      buffer ??= new Uint8Array(plan.partSize);
      const digests = digestsOf(await readSlice(file, start, end, buffer));
      if (digests.md5 !== unquote(part.ETag)) {
        matches = false;
        break;
      }
      done.set(part.PartNumber, { etag: part.ETag, crc64: digests.crc64, size: part.Size });
    }
    if (matches) return { uploadId: candidate.UploadId, done, from: 'listing' };
  }
  return undefined;
}
