/** GET Bucket (List Objects). */
import {
  buildListBucketResult,
  checkDelimiter,
  checkKeyParameter,
  checkPageSize,
  LIMITS,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import type { ListObjectsPage, ListObjectsQuery } from '../../store/store.js';
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
  const query = { prefix, delimiter, marker, maxKeys };
  const page = await ctx.store.listObjects(bucket, query);
  const xml = listBucketResultXml(bucket, query, page, encodingTypeOf(ctx), owner(ctx));
  sendXml(ctx.res, 200, xml, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}

/** The `<ListBucketResult>` of one page (also run by warm-up.ts at start). */
export function listBucketResultXml(
  bucket: string,
  query: ListObjectsQuery,
  page: ListObjectsPage,
  encodingType: 'url' | undefined,
  pageOwner: { ID: string; DisplayName: string },
): string {
  return buildListBucketResult(
    {
      Name: bucket,
      Prefix: query.prefix,
      Marker: query.marker,
      MaxKeys: query.maxKeys,
      Delimiter: query.delimiter,
      IsTruncated: page.isTruncated,
      NextMarker: page.nextMarker,
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })),
      Contents: page.contents.map(({ key, info: record }) => ({
        Key: key,
        LastModified: new Date(record.lastModified).toISOString(),
        ETag: record.etag,
        Size: record.size,
        Owner: pageOwner,
        StorageClass: record.headers['x-cos-storage-class'] ?? 'STANDARD',
      })),
    },
    encodingType,
  );
}
