/** PUT, GET and DELETE Object tagging (`?tagging` on an object; docs 35709–35711). */
import { buildTagging, checkTagSet, parseTagging } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import { tagsOf, withTags } from '../object-tags-and-grants.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { requireCurrentVersion } from '../version-id.js';
import { readXmlBody } from '../xml-body.js';

/** PUT Object tagging: the body's tags replace every tag of the object (Last-Modified unchanged). */
export async function putObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  requireCurrentVersion(ctx);
  const tags = parseTagging(await readXmlBody(ctx)).TagSet;
  const problem = checkTagSet(tags);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  await ctx.store.updateObjectHeaders(bucket, ctx.key, (current) => withTags(current.headers, tags));
  sendEmpty(ctx.res, 200);
}

/** GET Object tagging: 200 with the tag set, `<TagSet/>` when the object has none. */
export async function getObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  requireCurrentVersion(ctx);
  const info = await ctx.store.getObject(bucket, ctx.key);
  if (!info) throw new CosHttpError('NoSuchKey');
  sendXml(ctx.res, 200, buildTagging({ TagSet: tagsOf(info.headers) }));
}

/** DELETE Object tagging: 204, the object keeps no tag. */
export async function deleteObjectTagging(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  requireCurrentVersion(ctx);
  await ctx.store.updateObjectHeaders(bucket, ctx.key, (current) => withTags(current.headers, []));
  sendEmpty(ctx.res, 204);
}
