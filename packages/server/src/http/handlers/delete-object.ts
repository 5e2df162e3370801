/**
 * DELETE Object: 204 whether or not the key existed. In a bucket with versioning, without
 * `versionId` it writes a delete marker (`x-cos-delete-marker: true`, its `x-cos-version-id`);
 * with one it removes that version for good.
 */
import { RESPONSE_HEADERS } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { requestedVersionId } from '../version-id.js';

export async function deleteObject(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const outcome = await ctx.store.deleteObject(bucket, ctx.key, { versionId });
  if (outcome.noSuchVersion) throw new CosHttpError('NoSuchVersion');
  const headers: Record<string, string> = {};
  if (outcome.versionId !== undefined) headers[RESPONSE_HEADERS.versionId] = outcome.versionId;
  if (outcome.deleteMarker) headers[RESPONSE_HEADERS.deleteMarker] = 'true';
  sendEmpty(ctx.res, 204, headers);
}
