/** DELETE Object. */
import type { Transport } from '../transport/request.js';
import { checkVersionId, requireBucket, requireKey } from '../validation.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface DeleteObjectParams extends CallOptions {
  Bucket: string;
  Key: string;
  /** Remove this version for good; without it a bucket with versioning gets a delete marker. */
  VersionId?: string;
}

export interface DeleteObjectResult extends HeaderResponse {
  /** The version removed, or the delete marker written (buckets with versioning only). */
  'x-cos-version-id'?: string;
  /** `true` when a delete marker was written or removed. */
  'x-cos-delete-marker'?: string;
}

export async function deleteObject(t: Transport, p: DeleteObjectParams): Promise<DeleteObjectResult> {
  const r = await t.send({
    method: 'DELETE',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { versionId: checkVersionId(p.VersionId) },
    signal: p.signal,
    timeout: p.Timeout,
  });
  const pick = (name: 'x-cos-version-id' | 'x-cos-delete-marker') =>
    r.headers[name] === undefined ? {} : { [name]: r.headers[name] };
  return { ...headerResponse(r), ...pick('x-cos-version-id'), ...pick('x-cos-delete-marker') };
}
