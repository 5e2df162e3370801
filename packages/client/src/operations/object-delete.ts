/** DELETE Object. */
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface DeleteObjectParams extends CallOptions {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

export async function deleteObject(t: Transport, p: DeleteObjectParams): Promise<HeaderResponse> {
  const r = await t.send({
    method: 'DELETE',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { versionId: p.VersionId },
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}
