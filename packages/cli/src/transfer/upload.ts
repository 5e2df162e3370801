/** One local file to one object, through the SDK's resumable `uploadFile`. */
import { stat } from 'node:fs/promises';
import { type CosS3Client, UPLOAD_DEFAULTS } from '@coskit/client';
import type { TransferSettings } from '../options/transfer.js';
import type { Job, JobContext, Outcome } from './batch.js';
import { fileCrc64 } from './local-files.js';
import { guessContentType } from './mime.js';

export interface UploadJob extends Job {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
  /**
   * What a listing already said about the object (sync): undefined = not known (HEAD it when
   * comparing), null = absent.
   */
  readonly remote?: { readonly size: number } | null;
  /** Compare with the object and skip when equal (--skip-existing, sync). */
  readonly compare?: boolean;
}

/** Files above this go multipart, with `threads` parts in flight. */
export const MULTIPART_THRESHOLD: number = UPLOAD_DEFAULTS.multipartThreshold;

/** True when the object already holds exactly this file: same size, same CRC-64. */
export async function sameAsRemote(
  client: CosS3Client,
  job: UploadJob,
  signal: AbortSignal,
): Promise<boolean> {
  if (job.remote === null) return false;
  if (job.remote !== undefined && job.remote.size !== job.size) return false;
  let head: Awaited<ReturnType<CosS3Client['headObject']>>;
  try {
    head = await client.headObject({ Bucket: job.bucket, Key: job.key, signal });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
  if (head['Content-Length'] !== job.size) return false;
  const remote = head['x-cos-hash-crc64ecma'];
  return remote !== undefined && remote === (await fileCrc64(job.path, signal));
}

export async function uploadOne(
  client: CosS3Client,
  job: UploadJob,
  settings: TransferSettings,
  ctx: JobContext,
): Promise<Outcome> {
  if (job.compare && (await sameAsRemote(client, job, ctx.signal))) {
    return { status: 'skipped', bytesSent: 0, reason: 'same size and CRC-64' };
  }
  // The size may have changed since the walk; uploadFile reads it again, and so does the report.
  const size = (await stat(job.path)).size;
  const contentType = settings.contentType ?? guessContentType(job.path);
  const r = await client.uploadFile({
    Bucket: job.bucket,
    Key: job.key,
    LocalFilePath: job.path,
    PartSize: settings.partSizeMiB,
    MAXThread: settings.threads,
    EnableCRC: settings.crc64,
    CheckpointDir: settings.checkpointDir,
    ProgressInterval: 100,
    signal: ctx.signal,
    onProgress: (consumed) => ctx.progress(consumed),
    ...(settings.trafficLimit !== undefined ? { TrafficLimit: settings.trafficLimit } : {}),
    ...(settings.storageClass ? { StorageClass: settings.storageClass } : {}),
    ...(settings.acl ? { ACL: settings.acl } : {}),
    ...(settings.metadata ? { Metadata: settings.metadata } : {}),
    ...(contentType ? { ContentType: contentType } : {}),
  });
  return {
    status: 'uploaded',
    bytesSent: r.bytesSent,
    etag: r.ETag,
    crc64: r['x-cos-hash-crc64ecma'],
    resumed: r.bytesSent < size,
  };
}
