/**
 * Where an interrupted multipart upload stands, as the server sees it: the listings (every page)
 * and the confirmation of a checkpoint's parts by List Parts. Shared by Node's `uploadFile`
 * (checkpoint files) and the browser's (IndexedDB); finding an upload without a checkpoint by
 * hashing local slices is Node's (node/resume.ts).
 */
import type { CallOptions } from '../operations/common.js';
import type { TransferClient } from './transfer-client.js';

/** A part the server acknowledged. */
export interface CheckpointPart {
  /** Quoted ETag as the server returned it. */
  readonly etag: string;
  /** CRC-64 of the part's bytes, decimal. */
  readonly crc64: string;
  readonly size: number;
}

/** Part number → acknowledged part. */
export type DoneParts = Map<number, CheckpointPart>;

export interface UploadTarget {
  readonly Bucket: string;
  readonly Key: string;
}

const unquote = (etag: string) => etag.replace(/"/g, '').toLowerCase();

/** Every listed part of an upload (all pages); undefined when the upload no longer exists. */
export async function listAllParts(
  client: TransferClient,
  target: UploadTarget,
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
 * The checkpoint's parts that the server still lists with the same ETag and size (the others will
 * be sent again); undefined when the upload is gone.
 */
export async function confirmParts(
  client: TransferClient,
  target: UploadTarget,
  uploadId: string,
  parts: Readonly<Record<string, CheckpointPart>>,
  call: CallOptions,
): Promise<DoneParts | undefined> {
  const listed = await listAllParts(client, target, uploadId, call);
  if (!listed) return undefined;
  const byNumber = new Map(listed.map((p) => [p.PartNumber, p]));
  const done: DoneParts = new Map();
  for (const [n, part] of Object.entries(parts)) {
    const server = byNumber.get(Number(n));
    if (server && unquote(server.ETag) === unquote(part.etag) && server.Size === part.size)
      done.set(Number(n), part);
  }
  return done;
}

/** Every unfinished upload of exactly `target.Key` (all pages of List Multipart Uploads). */
export async function listKeyUploads(
  client: TransferClient,
  target: UploadTarget,
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
