/** GET Bucket `?uploads` (List Multipart Uploads). */
import {
  buildListMultipartUploadsResult,
  checkDelimiter,
  checkKeyParameter,
  checkPageSize,
  checkUploadIdMarker,
  LIMITS,
} from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { encodingTypeOf, owner } from './listing-common.js';

export async function listUploads(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const maxRaw = ctx.param('max-uploads') || String(LIMITS.defaultListUploads);
  const problem = checkPageSize('max-uploads', maxRaw, 1, LIMITS.maxListUploads);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const prefix = ctx.param('prefix') ?? '';
  const delimiter = ctx.param('delimiter') ?? '';
  const keyMarker = ctx.param('key-marker') ?? '';
  // upload-id-marker means nothing without key-marker.
  const uploadIdMarker = keyMarker === '' ? '' : (ctx.param('upload-id-marker') ?? '');
  const bound =
    checkKeyParameter('prefix', prefix) ??
    checkKeyParameter('key-marker', keyMarker) ??
    checkDelimiter(delimiter) ??
    checkUploadIdMarker(uploadIdMarker);
  if (bound) throw new CosHttpError(bound.code, bound.message);
  const maxUploads = Number(maxRaw);
  const page = await ctx.store.listUploads(bucket, {
    prefix,
    delimiter,
    keyMarker,
    uploadIdMarker,
    maxUploads,
  });
  const encodingType = encodingTypeOf(ctx);
  const xml = buildListMultipartUploadsResult(
    {
      Bucket: bucket,
      KeyMarker: keyMarker,
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: page.nextKeyMarker ?? '',
      NextUploadIdMarker: page.nextUploadIdMarker ?? '',
      MaxUploads: maxUploads,
      IsTruncated: page.isTruncated,
      Prefix: prefix,
      Delimiter: delimiter,
      Upload: page.uploads.map((u) => ({
        Key: u.key,
        UploadId: u.uploadId,
        StorageClass: u.info.headers['x-cos-storage-class'] ?? 'STANDARD',
        Initiator: owner(ctx),
        Owner: owner(ctx),
        Initiated: new Date(u.info.initiated).toISOString(),
      })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })),
    },
    encodingType,
  );
  sendXml(ctx.res, 200, xml);
}
