/**
 * PUT and GET Bucket versioning (`?versioning`, docs 19889, 19888): Enabled or Suspended, kept
 * in the bucket's record. A bucket that never had versioning answers `<VersioningConfiguration/>`;
 * once set, versioning can be suspended but never removed.
 */
import { buildVersioningConfiguration, parseVersioningConfiguration } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { readXmlBody } from '../xml-body.js';

export async function putBucketVersioning(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  // Not a VersioningConfiguration, or a Status other than Enabled/Suspended: MalformedXML.
  const { Status } = parseVersioningConfiguration(await readXmlBody(ctx), { strict: true });
  await ctx.store.setBucketVersioning(bucket, Status!);
  sendEmpty(ctx.res, 200);
}

export async function getBucketVersioning(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  sendXml(
    ctx.res,
    200,
    buildVersioningConfiguration(info.versioning === undefined ? {} : { Status: info.versioning }),
  );
}
