/** PUT / HEAD / DELETE Bucket. */
import { BUCKET_ACLS, checkBucketName, RESPONSE_HEADERS } from '@coskit/protocol';
import { readSmallBody } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';

export async function createBucket(ctx: RequestContext, bucket: string): Promise<void> {
  const problem = checkBucketName(bucket, ctx.region);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const acl = ctx.header('x-cos-acl') ?? 'private';
  if (!(BUCKET_ACLS as readonly string[]).includes(acl)) {
    throw new CosHttpError('InvalidArgument', `x-cos-acl "${acl}" is not one of ${BUCKET_ACLS.join(', ')}.`);
  }
  const grants: Record<string, string> = {};
  for (const name of ['x-cos-grant-read', 'x-cos-grant-write', 'x-cos-grant-full-control']) {
    const v = ctx.header(name);
    if (v !== undefined) grants[name] = v;
  }
  // An optional CreateBucketConfiguration (MAZ / OFS) is read and accepted; it changes nothing here.
  await readSmallBody(ctx);
  const created = await ctx.store.createBucket(bucket, { created: Date.now(), acl, grants });
  if (!created) throw new CosHttpError('BucketAlreadyOwnedByYou');
  sendEmpty(ctx.res, 200);
}

export async function headBucket(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  sendEmpty(ctx.res, 200, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}

export async function deleteBucket(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.store.deleteBucket(bucket);
  sendEmpty(ctx.res, 204);
}
