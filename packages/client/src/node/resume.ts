/**
 * Finding where an interrupted multipart upload stands.
 *
 * 1. From the checkpoint file (fast path): its upload id and acknowledged parts, confirmed with one
 *    List Parts pass (the server is asked only to confirm; nothing is re-read locally).
 * 2. Without one (another process or machine): List Multipart Uploads for the key, newest first,
 *    and List Parts of each candidate; listed parts are accepted only when their size and MD5
 *    (the ETag) match the local slices, as the official SDKs do.
 */
import type { FileHandle } from 'node:fs/promises';
import type { CallOptions } from '../operations/common.js';
import { type PartPlan, partAt } from '../transfer/part-plan.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import type { CheckpointData, CheckpointPart } from './checkpoint.js';
import { type FileIdentity, sameIdentity } from './file-identity.js';
import { digestsOf, readSlice } from './file-slice.js';

/** Part number → acknowledged part. */
export type DoneParts = Map<number, CheckpointPart>;

export interface ResumePoint {
  readonly uploadId: string;
  readonly done: DoneParts;
  readonly from: 'checkpoint' | 'listing';
}

interface Target {
  readonly Bucket: string;
  readonly Key: string;
}

const unquote = (etag: string) => etag.replace(/"/g, '').toLowerCase();

/** Every listed part of an upload (all pages); undefined when the upload no longer exists. */
export async function listAllParts(
  client: TransferClient,
  target: Target,
  uploadId: string,
  call: CallOptions,
): Promise<{ PartNumber: number; ETag: string; Size: number }[] | undefined> {
  const parts: { PartNumber: number; ETag: string; Size: number }[] = [];
  let marker = 0;
  for (;;) {
    let page: Awaited<ReturnType<TransferClient['listParts']>>;
    try {
      page = await client.listParts({ ...target, UploadId: uploadId, PartNumberMarker: marker, ...call });
    } catch (err) {
      if ((err as { errorCode?: string }).errorCode === 'NoSuchUpload') return undefined;
      throw err;
    }
    parts.push(...page.Part);
    if (!page.IsTruncated || page.Part.length === 0) return parts;
    marker = page.NextPartNumberMarker;
  }
}

/**
 * Confirms a checkpoint: keeps the parts the server still lists with the same ETag and size.
 * Returns undefined when the checkpoint does not belong to this file any more or the upload is gone
 * (the caller starts afresh and, for a changed file, aborts the stale upload).
 */
export async function resumeFromCheckpoint(
  client: TransferClient,
  target: Target,
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
  const listed = await listAllParts(client, target, checkpoint.uploadId, call);
  if (!listed) return undefined;
  const byNumber = new Map(listed.map((p) => [p.PartNumber, p]));
  const done: DoneParts = new Map();
  for (const [n, part] of Object.entries(checkpoint.parts)) {
    const server = byNumber.get(Number(n));
    if (server && unquote(server.ETag) === unquote(part.etag) && server.Size === part.size)
      done.set(Number(n), part);
  }
  return { uploadId: checkpoint.uploadId, done, from: 'checkpoint' };
}

/** Every unfinished upload of exactly `target.Key` (all pages of List Multipart Uploads). */
export async function listKeyUploads(
  client: TransferClient,
  target: Target,
  call: CallOptions,
): Promise<{ UploadId: string; Initiated: string }[]> {
  const uploads: { UploadId: string; Initiated: string }[] = [];
  let KeyMarker = '';
  let UploadIdMarker = '';
  for (;;) {
    const page = await client.listMultipartUploads({
      Bucket: target.Bucket,
      Prefix: target.Key,
      KeyMarker,
      UploadIdMarker,
      ...call,
    });
    for (const u of page.Upload) if (u.Key === target.Key) uploads.push(u);
    if (!page.IsTruncated) return uploads;
    KeyMarker = page.NextKeyMarker;
    UploadIdMarker = page.NextUploadIdMarker;
  }
}

/**
 * Looks for an upload of `target.Key` whose listed parts all match the local file's slices.
 * `buffer` must hold one part.
 */
export async function resumeFromListing(
  client: TransferClient,
  target: Target,
  plan: PartPlan,
  file: FileHandle,
  buffer: Buffer,
  call: CallOptions,
): Promise<ResumePoint | undefined> {
  const candidates = await listKeyUploads(client, target, call);
  // Newest first: upload ids start with the initiation time, and Initiated says it too.
  candidates.sort((a, b) =>
    a.Initiated === b.Initiated ? (a.UploadId < b.UploadId ? 1 : -1) : a.Initiated < b.Initiated ? 1 : -1,
  );
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
