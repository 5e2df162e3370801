/**
 * GET Bucket Object versions (`GET /?versions`, doc 35521): every version and delete marker,
 * keys in UTF-8 byte order and each key's newest first, with prefix, delimiter, key-marker,
 * version-id-marker, max-keys and encoding-type. O(page) in the store (store/list-versions.ts).
 */
import {
  buildListVersionsResult,
  checkDelimiter,
  checkKeyParameter,
  checkPageSize,
  LIMITS,
  type ListedVersionEntry,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { checkedVersionId } from '../version-id.js';
import { encodingTypeOf, owner } from './listing-common.js';

export async function listObjectVersions(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const maxKeysRaw = ctx.param('max-keys') || String(LIMITS.defaultListKeys);
  const problem = checkPageSize('max-keys', maxKeysRaw, 0, LIMITS.maxListKeys);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const prefix = ctx.param('prefix') ?? '';
  const delimiter = ctx.param('delimiter') ?? '';
  const keyMarker = ctx.param('key-marker') ?? '';
  const versionIdMarker = ctx.param('version-id-marker') ?? '';
  const bound =
    checkKeyParameter('prefix', prefix) ??
    checkKeyParameter('key-marker', keyMarker) ??
    checkDelimiter(delimiter);
  if (bound) throw new CosHttpError(bound.code, bound.message);
  checkedVersionId(versionIdMarker, 'version-id-marker');
  if (versionIdMarker !== '' && keyMarker === '') {
    throw new CosHttpError('InvalidArgument', 'A version-id-marker cannot be given without a key-marker.');
  }
  const encodingType = encodingTypeOf(ctx);
  const maxKeys = Number(maxKeysRaw);
  const page = await ctx.store.listObjectVersions(bucket, {
    prefix,
    delimiter,
    keyMarker,
    versionIdMarker,
    maxKeys,
  });
  const who = owner(ctx);
  const entries: ListedVersionEntry[] = page.entries.map((e) =>
    e.deleteMarker
      ? {
          Type: 'DeleteMarker',
          Key: e.key,
          VersionId: e.versionId,
          IsLatest: e.isLatest,
          LastModified: new Date(e.lastModified).toISOString(),
          Owner: who,
        }
      : {
          Type: 'Version',
          Key: e.key,
          VersionId: e.versionId,
          IsLatest: e.isLatest,
          LastModified: new Date(e.info.lastModified).toISOString(),
          ETag: e.info.etag,
          Size: e.info.size,
          StorageClass: e.info.headers['x-cos-storage-class'] ?? 'STANDARD',
          Owner: who,
        },
  );
  // A key XML cannot carry (without encoding-type=url) is a 400 InvalidArgument (its cosCode).
  const xml = buildListVersionsResult(
    {
      Name: bucket,
      Prefix: prefix,
      KeyMarker: keyMarker,
      VersionIdMarker: versionIdMarker,
      MaxKeys: maxKeys,
      IsTruncated: page.isTruncated,
      ...(page.nextKeyMarker === undefined ? {} : { NextKeyMarker: page.nextKeyMarker }),
      ...(page.nextVersionIdMarker === undefined ? {} : { NextVersionIdMarker: page.nextVersionIdMarker }),
      Delimiter: delimiter,
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })),
      Entries: entries,
    },
    encodingType,
  );
  sendXml(ctx.res, 200, xml, { [RESPONSE_HEADERS.bucketRegion]: ctx.region });
}
