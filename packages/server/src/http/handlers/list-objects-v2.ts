/**
 * ListObjectsV2 (S3 `GET /?list-type=2`): the same listing as List Objects, paged by an opaque
 * continuation token (the base64url of the key to continue after) or `start-after`, with `KeyCount`
 * and the owner only on `fetch-owner=true`.
 */
import { buildListBucketResultV2, checkPageSize, LIMITS, RESPONSE_HEADERS } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { encodingTypeOf, owner } from './listing-common.js';

const tokenOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

function keyOfToken(token: string): string {
  const key = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (key === '' || tokenOf(key) !== token) {
    throw new CosHttpError('InvalidArgument', 'The continuation token provided is incorrect.');
  }
  return key;
}

export async function listObjectsV2(ctx: RequestContext, bucket: string): Promise<void> {
  if (ctx.param('list-type') !== '2') {
    throw new CosHttpError(
      'InvalidArgument',
      `list-type "${ctx.param('list-type')}" is not supported; use 2.`,
    );
  }
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const maxKeysRaw = ctx.param('max-keys') || String(LIMITS.defaultListKeys);
  const problem = checkPageSize('max-keys', maxKeysRaw, 0, LIMITS.maxListKeys);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const maxKeys = Number(maxKeysRaw);
  const prefix = ctx.param('prefix') ?? '';
  const delimiter = ctx.param('delimiter') ?? '';
  const continuationToken = ctx.param('continuation-token');
  const startAfter = ctx.param('start-after');
  const fetchOwner = ctx.param('fetch-owner') === 'true';
  // The token, when given, wins over start-after (S3).
  const marker = continuationToken !== undefined ? keyOfToken(continuationToken) : (startAfter ?? '');
  const page = await ctx.store.listObjects(bucket, { prefix, delimiter, marker, maxKeys });
  const xml = buildListBucketResultV2(
    {
      Name: bucket,
      Prefix: prefix,
      Delimiter: delimiter,
      MaxKeys: maxKeys,
      KeyCount: page.contents.length + page.commonPrefixes.length,
      IsTruncated: page.isTruncated,
      ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
      ...(page.isTruncated && page.nextMarker !== undefined
        ? { NextContinuationToken: tokenOf(page.nextMarker) }
        : {}),
      ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })),
      Contents: page.contents.map(({ key, info }) => ({
        Key: key,
        LastModified: new Date(info.lastModified).toISOString(),
        ETag: info.etag,
        Size: info.size,
        ...(fetchOwner ? { Owner: owner(ctx) } : {}),
        StorageClass: info.headers['x-cos-storage-class'] ?? 'STANDARD',
      })),
    },
    encodingTypeOf(ctx),
  );
  sendXml(ctx.res, 200, xml, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}
