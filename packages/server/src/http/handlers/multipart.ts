/** Initiate, Upload Part, List Parts, Complete and Abort Multipart Upload. */
import {
  buildCompleteMultipartUploadResult,
  buildInitiateMultipartUploadResult,
  buildListPartsResult,
  type CompletePart,
  checkPageSize,
  checkPartNumber,
  forbidsOverwrite,
  LIMITS,
  parseCompleteMultipartUpload,
  REQUEST_HEADERS,
  RESPONSE_HEADERS,
  utf8ByteLength,
} from '@coskit/protocol';
import { multipartEtag } from '../../store/multipart-assembly.js';
import { type ObjectInfo, StoreError, type UploadInfo } from '../../store/store.js';
import { incomingBody, readSmallBody } from '../body.js';
import {
  algorithmName,
  checksumElements,
  completeChecksumOf,
  partChecksum,
  partChecksumHeaders,
  uploadChecksumHeaders,
  uploadChecksumOf,
} from '../checksums.js';
import { writeConditionCheck } from '../conditions.js';
import { CosHttpError } from '../cos-http-error.js';
import { storedHeadersOf } from '../object-headers.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { customerKeyOf, encryptionRequestOf, sseResponseHeaders } from '../sse.js';
import { versionHeaders } from '../version-id.js';
import { encodingTypeOf, owner } from './listing-common.js';

export async function initiateUpload(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const headers = storedHeadersOf(ctx.header, ctx.headerNames, ctx.key);
  // Kept with the upload: Complete refuses to replace an existing key even if it does not repeat it.
  const forbidOverwrite = forbidsOverwrite(ctx.header(REQUEST_HEADERS.forbidOverwrite));
  const encryption = encryptionRequestOf(ctx);
  const checksum = uploadChecksumOf(ctx);
  const uploadId = await ctx.store.initiateUpload(bucket, ctx.key, {
    headers,
    forbidOverwrite,
    encryption,
    checksum,
  });
  const upload = await ctx.store.getUpload(bucket, ctx.key, uploadId);
  sendXml(
    ctx.res,
    200,
    buildInitiateMultipartUploadResult({ Bucket: bucket, Key: ctx.key, UploadId: uploadId }),
    { ...sseResponseHeaders(upload?.encryption, customerKeyOf(ctx)), ...uploadChecksumHeaders(upload) },
  );
}

/** The upload named by `uploadId`, or NoSuchUpload. */
export async function requireUpload(
  ctx: RequestContext,
  bucket: string,
): Promise<{ uploadId: string; upload: UploadInfo }> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const uploadId = ctx.param('uploadId') ?? '';
  if (uploadId === '') throw new CosHttpError('ListPartUploadIdIsEmpty');
  // Longer than any upload ID: it names none (and must not reach the store's index).
  if (utf8ByteLength(uploadId) > LIMITS.maxUploadIdBytes) throw new CosHttpError('NoSuchUpload');
  const upload = await ctx.store.getUpload(bucket, ctx.key, uploadId);
  if (!upload) throw new CosHttpError('NoSuchUpload');
  return { uploadId, upload };
}

export function partNumberOf(ctx: RequestContext): number {
  const raw = ctx.param('partNumber') ?? '';
  const problem = checkPartNumber(raw);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  return Number(raw);
}

export async function uploadPart(ctx: RequestContext, bucket: string): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const { uploadId, upload } = await requireUpload(ctx, bucket);
  const customer = customerKeyOf(ctx);
  const body = incomingBody(ctx);
  const { stream, checksumAtEnd } = partChecksum(ctx, upload, body.stream);
  const part = await ctx.store.putPart(
    bucket,
    ctx.key,
    uploadId,
    partNumber,
    { ...body, stream },
    { customerKey: customer?.key, checksumAtEnd },
  );
  sendEmpty(ctx.res, 200, {
    ETag: part.etag,
    [RESPONSE_HEADERS.crc64]: part.crc64,
    ...sseResponseHeaders(upload.encryption, customer),
    ...partChecksumHeaders(part),
  });
}

export async function listParts(ctx: RequestContext, bucket: string): Promise<void> {
  const { uploadId, upload } = await requireUpload(ctx, bucket);
  const maxRaw = ctx.param('max-parts') || String(LIMITS.defaultListParts);
  const problem = checkPageSize('max-parts', maxRaw, 1, LIMITS.maxListParts);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const markerRaw = ctx.param('part-number-marker') || '0';
  if (!/^\d+$/.test(markerRaw)) {
    throw new CosHttpError(
      'InvalidArgument',
      `part-number-marker must be a non-negative integer; got "${markerRaw}".`,
    );
  }
  const marker = Math.min(Number(markerRaw), LIMITS.maxPartNumber);
  const max = Number(maxRaw);
  const { parts, isTruncated } = await ctx.store.listParts(bucket, ctx.key, uploadId, marker, max);
  const last = parts[parts.length - 1];
  const encodingType = encodingTypeOf(ctx);
  const xml = buildListPartsResult(
    {
      Bucket: bucket,
      Key: ctx.key,
      UploadId: uploadId,
      Initiator: owner(ctx),
      Owner: owner(ctx),
      PartNumberMarker: marker,
      Part: parts.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: new Date(p.lastModified).toISOString(),
        ETag: p.etag,
        Size: p.size,
        ...(p.checksum ? { Checksums: { [p.checksum.algorithm]: p.checksum.value } } : {}),
      })),
      NextPartNumberMarker: last?.partNumber ?? marker,
      StorageClass: upload.headers['x-cos-storage-class'] ?? 'STANDARD',
      MaxParts: max,
      IsTruncated: isTruncated,
      ...(upload.checksum
        ? { ChecksumAlgorithm: algorithmName(upload.checksum.algorithm), ChecksumType: upload.checksum.type }
        : {}),
    },
    encodingType,
  );
  sendXml(ctx.res, 200, xml);
}

/** Complete's body, parsed (MalformedXML for a bad one; an empty one: COS MissingRequestBodyError, S3 MalformedXML). */
async function requestedParts(ctx: RequestContext): Promise<CompletePart[]> {
  const body = await readSmallBody(ctx, LIMITS.maxCompleteXmlBytes);
  if (body.byteLength === 0) {
    throw new CosHttpError(ctx.dialect === 's3' ? 'MalformedXML' : 'MissingRequestBodyError');
  }
  // A malformed body throws XmlCodecError, answered as its cosCode (MalformedXML).
  return parseCompleteMultipartUpload(body).Part;
}

const isNoSuchUpload = (err: unknown) =>
  (err instanceof CosHttpError || err instanceof StoreError) && err.code === 'NoSuchUpload';

export async function completeUpload(ctx: RequestContext, bucket: string): Promise<void> {
  let parts: CompletePart[] | undefined;
  try {
    const { uploadId } = await requireUpload(ctx, bucket);
    parts = await requestedParts(ctx);
    const record = await ctx.store.completeUpload(bucket, ctx.key, uploadId, parts, {
      forbidOverwrite: forbidsOverwrite(ctx.header(REQUEST_HEADERS.forbidOverwrite)),
      targetCheck: writeConditionCheck(ctx.header),
      checksum: completeChecksumOf(ctx),
    });
    sendCompleted(ctx, bucket, record);
  } catch (err) {
    // S3 answers a retried Complete of an upload it completed (the client lost the first answer)
    // as it answered the first: the key still holds the object these parts made.
    if (!(ctx.dialect === 's3' && isNoSuchUpload(err))) throw err;
    parts ??= await requestedParts(ctx);
    const current = await ctx.store.getObject(bucket, ctx.key);
    if (current?.etag !== multipartEtag(parts.map((p) => p.ETag))) throw err;
    sendCompleted(ctx, bucket, current);
  }
}

function sendCompleted(ctx: RequestContext, bucket: string, record: ObjectInfo): void {
  const xml = buildCompleteMultipartUploadResult({
    Location: `${bucket}.cos.${ctx.region}.myqcloud.com/${ctx.key}`,
    Bucket: bucket,
    Key: ctx.key,
    ETag: record.etag,
    ...checksumElements(record),
  });
  sendXml(ctx.res, 200, xml, {
    [RESPONSE_HEADERS.crc64]: record.crc64,
    ...versionHeaders(undefined, record),
    ...sseResponseHeaders(record.encryption),
  });
}

export async function abortUpload(ctx: RequestContext, bucket: string): Promise<void> {
  const { uploadId } = await requireUpload(ctx, bucket);
  await ctx.store.abortUpload(bucket, ctx.key, uploadId);
  sendEmpty(ctx.res, 204);
}
