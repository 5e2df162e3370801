/** DELETE Object: 204 whether or not the key existed. */
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { requireCurrentVersion } from '../version-id.js';

export async function deleteObject(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  requireCurrentVersion(ctx);
  await ctx.store.deleteObject(bucket, ctx.key);
  sendEmpty(ctx.res, 204);
}
