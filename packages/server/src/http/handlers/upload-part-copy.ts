/** Upload Part - Copy: a byte range of an existing object becomes a part. */
import {
  buildCopyPartResult,
  checkBucketName,
  checkObjectKey,
  decodeComponent,
  LIMITS,
  RESPONSE_HEADERS,
  utf8ByteLength,
} from '@coskit/protocol';
import type { OpenedObject } from '../../store/store.js';
import { evaluateConditions } from '../conditions.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { partNumberOf, requireUpload } from './multipart.js';

/** `<bucket>.cos.<region>.myqcloud.com/<encoded key>[?versionId=…]` (also `.tencentcos.cn`). */
const COPY_SOURCE =
  /^(?:https?:\/\/)?([a-z0-9-]+-\d+)\.cos(?:-internal|v6|-cdc)?\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)\/([^?]+)(?:\?versionId=([^&]*))?$/;

interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | undefined;
}

export function parseCopySource(value: string): CopySource {
  const m = COPY_SOURCE.exec(value.trim());
  const key = m ? decodeComponent(m[3]!) : undefined;
  if (!m || key === undefined || key === '') {
    throw new CosHttpError(
      'InvalidCopySource',
      'x-cos-copy-source must look like "<bucket>-<appid>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=<id>]".',
    );
  }
  return { bucket: m[1]!, key, versionId: m[4] === undefined ? undefined : decodeComponent(m[4]) };
}

function parseCopyRange(value: string | undefined, size: number): { start: number; end: number } {
  // Empty means the whole object: the Python SDK's upload_part_copy sends the header empty by default.
  if (value === undefined || value === '') return { start: 0, end: size - 1 };
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m)
    throw new CosHttpError('InvalidArgument', 'x-cos-copy-source-range must be "bytes=<first>-<last>".');
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) {
    throw new CosHttpError(
      'InvalidRange',
      `Range ${start}-${end} is outside the source object's ${size} bytes.`,
    );
  }
  return { start, end };
}

export async function uploadPartCopy(ctx: RequestContext, bucket: string): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const { uploadId } = await requireUpload(ctx, bucket);
  const source = parseCopySource(ctx.header('x-cos-copy-source') ?? '');
  // Bounded before any lookup: the source names a key and bucket like any request does.
  const problem = checkObjectKey(source.key) ?? checkBucketName(source.bucket);
  if (problem) throw new CosHttpError(problem.code, `Copy source: ${problem.message}`);
  if (source.versionId !== undefined && utf8ByteLength(source.versionId) > LIMITS.maxUploadIdBytes) {
    throw new CosHttpError('NoSuchVersion');
  }
  if (!(await ctx.store.getBucket(source.bucket)))
    throw new CosHttpError('NoSuchBucket', `Source bucket ${source.bucket} does not exist.`);
  const opened = await ctx.store.openObject(source.bucket, source.key);
  if (!opened) throw new CosHttpError('NoSuchCopySource');
  try {
    await copyFrom(ctx, bucket, uploadId, partNumber, source, opened);
  } finally {
    opened.close();
  }
}

async function copyFrom(
  ctx: RequestContext,
  bucket: string,
  uploadId: string,
  partNumber: number,
  source: CopySource,
  opened: OpenedObject,
): Promise<void> {
  const record = opened.info;
  // Objects here are not versioned: their only version is "null" (see version-id.ts).
  if (source.versionId !== undefined && source.versionId !== '' && source.versionId !== 'null') {
    throw new CosHttpError('NoSuchVersion');
  }
  const outcome = evaluateConditions(
    {
      ifMatch: ctx.header('x-cos-copy-source-if-match'),
      ifNoneMatch: ctx.header('x-cos-copy-source-if-none-match'),
      ifModifiedSince: ctx.header('x-cos-copy-source-if-modified-since'),
      ifUnmodifiedSince: ctx.header('x-cos-copy-source-if-unmodified-since'),
    },
    record.etag,
    record.lastModified,
    true,
  );
  if (outcome !== 'proceed') throw new CosHttpError('PreconditionFailed');
  const { start, end } = parseCopyRange(ctx.header('x-cos-copy-source-range'), record.size);
  if (end - start + 1 > LIMITS.maxPartSize) {
    throw new CosHttpError('EntityTooLarge', `A copied part may be at most ${LIMITS.maxPartSize} bytes.`);
  }
  const part = await ctx.store.copyPart(bucket, ctx.key, uploadId, partNumber, opened, { start, end });
  const headers: Record<string, string> = { [RESPONSE_HEADERS.crc64]: part.crc64 };
  if (source.versionId !== undefined) headers[RESPONSE_HEADERS.copySourceVersionId] = source.versionId;
  sendXml(
    ctx.res,
    200,
    buildCopyPartResult({ ETag: part.etag, LastModified: new Date(part.lastModified).toISOString() }),
    headers,
  );
}
