/** PUT / HEAD / DELETE Bucket, GET Bucket location. */
import {
  BUCKET_ACLS,
  buildLocationConstraint,
  checkBucketName,
  parseCreateBucketConfiguration,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import { readSmallBody } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';

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
  // An optional CreateBucketConfiguration (COS: MAZ / OFS; S3: LocationConstraint) is read; only a
  // LocationConstraint naming another region than this server's changes the answer.
  const body = await readSmallBody(ctx);
  // An existing bucket is answered as such whatever the body says (a body that is not even XML, too).
  if (await ctx.store.getBucket(bucket)) throw new CosHttpError('BucketAlreadyOwnedByYou');
  if (body.byteLength > 0) {
    const { LocationConstraint } = parseCreateBucketConfiguration(body);
    if (LocationConstraint !== undefined && LocationConstraint !== ctx.region) {
      throw new CosHttpError(
        'InvalidLocationConstraint',
        `This server keeps buckets in ${ctx.region}; LocationConstraint "${LocationConstraint}" names another region.`,
      );
    }
  }
  const created = await ctx.store.createBucket(bucket, { created: Date.now(), acl, grants });
  if (!created) throw new CosHttpError('BucketAlreadyOwnedByYou');
  sendEmpty(ctx.res, 200);
}

export async function headBucket(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  sendEmpty(ctx.res, 200, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}

/** GET Bucket location (S3 GetBucketLocation): the region of this server. */
export async function getBucketLocation(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  sendXml(ctx.res, 200, buildLocationConstraint(ctx.region));
}

export async function deleteBucket(ctx: RequestContext, bucket: string): Promise<void> {
  // S3 deletes a bucket that holds only unfinished multipart uploads, discarding them; COS (and the
  // COS dialect here) refuses it with BucketNotEmpty. Each abort is the store's own durable abort.
  if (ctx.dialect === 's3' && (await ctx.store.getBucket(bucket))) await abortEveryUpload(ctx, bucket);
  await ctx.store.deleteBucket(bucket);
  sendEmpty(ctx.res, 204);
}

/** Aborts every unfinished upload of a bucket, a page at a time (memory: one page of 1000). */
async function abortEveryUpload(ctx: RequestContext, bucket: string): Promise<void> {
  let keyMarker = '';
  let uploadIdMarker = '';
  for (;;) {
    const page = await ctx.store.listUploads(bucket, {
      prefix: '',
      delimiter: '',
      keyMarker,
      uploadIdMarker,
      maxUploads: 1000,
    });
    for (const u of page.uploads) await ctx.store.abortUpload(bucket, u.key, u.uploadId);
    if (!page.isTruncated || page.nextKeyMarker === undefined) return;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker ?? '';
  }
}
