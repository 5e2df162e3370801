/** PUT / GET / DELETE Bucket cors: the bucket's CORS configuration, stored with the bucket. */
import {
  buildCorsConfiguration,
  checkCorsConfiguration,
  normalizeCorsConfiguration,
  parseCorsConfiguration,
} from '@coskit/protocol';
import { readSmallBody } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';

export async function putBucketCors(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const body = await readSmallBody(ctx);
  if (body.byteLength === 0) throw new CosHttpError('MissingRequestBodyError');
  // A body that is not a CORSConfiguration throws XmlCodecError, which answers MalformedXML.
  const config = parseCorsConfiguration(body);
  const problem = checkCorsConfiguration(config);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  await ctx.store.setBucketCors(bucket, normalizeCorsConfiguration(config));
  sendEmpty(ctx.res, 200);
}

export async function getBucketCors(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  if (!info.cors) throw new CosHttpError('NoSuchCORSConfiguration');
  sendXml(ctx.res, 200, buildCorsConfiguration(info.cors));
}

export async function deleteBucketCors(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.store.setBucketCors(bucket, undefined);
  sendEmpty(ctx.res, 204);
}
