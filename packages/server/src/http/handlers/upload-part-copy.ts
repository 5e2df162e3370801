/** Upload Part - Copy: a byte range of an existing object becomes a part. */
import { buildCopyPartResult, type CopySourceRef, LIMITS, RESPONSE_HEADERS } from '@coskit/protocol';
import type { OpenedObject, UploadInfo } from '../../store/store.js';
import { checksummedSource } from '../checksums.js';
import { evaluateConditions } from '../conditions.js';
import { copySourceOf } from '../copy-source.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { requireReadable } from '../restore-state.js';
import { customerKeyOf, sseResponseHeaders } from '../sse.js';
import { partNumberOf, requireUpload } from './multipart.js';

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
  const { uploadId, upload } = await requireUpload(ctx, bucket);
  const source = copySourceOf(ctx);
  if (!(await ctx.store.getBucket(source.bucket)))
    throw new CosHttpError('NoSuchBucket', `Source bucket ${source.bucket} does not exist.`);
  const sourceKey = customerKeyOf(ctx, 'copySource');
  const opened = await ctx.store.openObject(source.bucket, source.key, {
    versionId: source.versionId,
    customerKey: sourceKey?.key,
  });
  if (!opened) throw new CosHttpError(source.versionId === undefined ? 'NoSuchCopySource' : 'NoSuchVersion');
  try {
    await copyFrom(ctx, bucket, uploadId, partNumber, source, opened, upload);
  } finally {
    opened.close();
  }
}

async function copyFrom(
  ctx: RequestContext,
  bucket: string,
  uploadId: string,
  partNumber: number,
  source: CopySourceRef,
  opened: OpenedObject,
  upload: UploadInfo,
): Promise<void> {
  const record = opened.info;
  // As PUT Object - Copy: a cold (ARCHIVE / DEEP_ARCHIVE) source must be restored first.
  requireReadable(record);
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
  const customer = customerKeyOf(ctx);
  // An upload with a checksum gets one for the copied part too, computed as its bytes are read.
  const { source: read, checksumAtEnd } = checksummedSource(opened, upload);
  const part = await ctx.store.copyPart(
    bucket,
    ctx.key,
    uploadId,
    partNumber,
    read,
    { start, end },
    { customerKey: customer?.key, checksumAtEnd },
  );
  const headers: Record<string, string> = {
    [RESPONSE_HEADERS.crc64]: part.crc64,
    ...sseResponseHeaders(upload.encryption, customer),
  };
  if (source.versionId !== undefined) headers[RESPONSE_HEADERS.copySourceVersionId] = source.versionId;
  else if (record.versionId !== undefined) headers[RESPONSE_HEADERS.copySourceVersionId] = record.versionId;
  sendXml(
    ctx.res,
    200,
    buildCopyPartResult({
      ETag: part.etag,
      LastModified: new Date(part.lastModified).toISOString(),
      ...(part.checksum ? { Checksums: { [part.checksum.algorithm]: part.checksum.value } } : {}),
    }),
    headers,
  );
}
