/** PUT, GET and DELETE Object tagging (`?tagging` on an object; docs 35709–35711). */
import { buildTagging, checkTagSet, parseTagging } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import { tagsOf, withTags } from '../object-tags-and-grants.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { missingObject, requestedVersionId, versionHeaders } from '../version-id.js';
import { readXmlBody } from '../xml-body.js';

/** PUT Object tagging: the body's tags replace every tag of the object (Last-Modified unchanged). */
export async function putObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const tags = parseTagging(await readXmlBody(ctx)).TagSet;
  const problem = checkTagSet(tags);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const updated = await ctx.store.updateObjectHeaders(
    bucket,
    ctx.key,
    (current) => withTags(current.headers, tags),
    { versionId },
  );
  sendEmpty(ctx.res, 200, versionHeaders(info, updated));
}

/** GET Object tagging: 200 with the tag set, `<TagSet/>` when the object has none. */
export async function getObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const object = await ctx.store.getObject(bucket, ctx.key, { versionId });
  if (!object) throw await missingObject(ctx, bucket, versionId);
  sendXml(ctx.res, 200, buildTagging({ TagSet: tagsOf(object.headers) }), versionHeaders(info, object));
}

/** DELETE Object tagging: 204, the object keeps no tag. */
export async function deleteObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const updated = await ctx.store.updateObjectHeaders(
    bucket,
    ctx.key,
    (current) => withTags(current.headers, []),
    { versionId },
  );
  sendEmpty(ctx.res, 204, versionHeaders(info, updated));
}
