/** GET Bucket (List Objects). */
import {
  buildListBucketResult,
  checkDelimiter,
  checkKeyParameter,
  checkPageSize,
  LIMITS,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { encodingTypeOf, owner } from './listing-common.js';

export async function listObjects(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const maxKeysRaw = ctx.param('max-keys') || String(LIMITS.defaultListKeys);
  const problem = checkPageSize('max-keys', maxKeysRaw, 0, LIMITS.maxListKeys);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const prefix = ctx.param('prefix') ?? '';
  const delimiter = ctx.param('delimiter') ?? '';
  const marker = ctx.param('marker') ?? '';
  const bound =
    checkKeyParameter('prefix', prefix) ?? checkKeyParameter('marker', marker) ?? checkDelimiter(delimiter);
  if (bound) throw new CosHttpError(bound.code, bound.message);
  const maxKeys = Number(maxKeysRaw);
  const page = await ctx.store.listObjects(bucket, { prefix, delimiter, marker, maxKeys });
  const encodingType = encodingTypeOf(ctx);
  const xml = buildListBucketResult(
    {
      Name: bucket,
      Prefix: prefix,
      Marker: marker,
      MaxKeys: maxKeys,
      Delimiter: delimiter,
      IsTruncated: page.isTruncated,
      NextMarker: page.nextMarker,
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })),
      Contents: page.contents.map(({ key, info: record }) => ({
        Key: key,
        LastModified: new Date(record.lastModified).toISOString(),
        ETag: record.etag,
        Size: record.size,
        Owner: owner(ctx),
        StorageClass: record.headers['x-cos-storage-class'] ?? 'STANDARD',
      })),
    },
    encodingType,
  );
  sendXml(ctx.res, 200, xml, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}
