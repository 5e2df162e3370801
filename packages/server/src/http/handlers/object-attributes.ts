/**
 * GetObjectAttributes (`GET /<key>?attributes`, S3 only: COS has no such call, so the COS dialect is
 * answered 501): what `x-amz-object-attributes` asks of an object — its ETag, checksum, parts,
 * storage class and size — from its record alone, without opening its bytes.
 */
import {
  buildGetObjectAttributesResult,
  type GetObjectAttributesResult,
  LIMITS,
  OBJECT_ATTRIBUTES,
  type ObjectAttribute,
} from '@coskit/protocol';
import { checkCustomerKey } from '../../store/encryption.js';
import { objectChecksumOf } from '../../store/object-checksum.js';
import { objectPartsOf } from '../../store/object-parts.js';
import type { ObjectInfo } from '../../store/store.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { customerKeyOf } from '../sse.js';
import { missingObject, requestedVersionId, versionHeaders } from '../version-id.js';

/** `x-amz-object-attributes`: a comma-separated list of S3's names (InvalidArgument otherwise). */
function attributesOf(ctx: RequestContext): Set<ObjectAttribute> {
  const raw = ctx.header('x-amz-object-attributes') ?? '';
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) {
    throw new CosHttpError(
      'InvalidArgument',
      'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty',
    );
  }
  for (const name of names) {
    if (!(OBJECT_ATTRIBUTES as readonly string[]).includes(name)) {
      throw new CosHttpError(
        'InvalidArgument',
        `Invalid attribute name specified: "${name}" (one of ${OBJECT_ATTRIBUTES.join(', ')}).`,
      );
    }
  }
  return new Set(names as ObjectAttribute[]);
}

/** A non-negative integer header within [min, max], or `fallback` when absent. */
function integerHeader(
  ctx: RequestContext,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = ctx.header(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    throw new CosHttpError('InvalidArgument', `${name} must be an integer of at least ${min}; got "${raw}".`);
  }
  return Math.min(Number(raw), max);
}

/** The number of parts of a multipart object (its ETag's `-N`), or undefined for any other. */
function partsCountOf(record: ObjectInfo): number | undefined {
  const n = /-(\d+)"?$/.exec(record.etag)?.[1];
  return n === undefined ? undefined : Number(n);
}

/**
 * `<ObjectParts>` of a multipart object: its part count, and — as S3 does, only when the upload had
 * a checksum — the page of parts after `x-amz-part-number-marker` (at most `x-amz-max-parts`, default
 * 1000), each with its size and checksum.
 */
function objectParts(ctx: RequestContext, record: ObjectInfo): GetObjectAttributesResult['ObjectParts'] {
  const stored = objectPartsOf(record.headers);
  const count = stored?.length ?? partsCountOf(record);
  if (count === undefined) return undefined;
  const maxParts = integerHeader(ctx, 'x-amz-max-parts', LIMITS.defaultListParts, 0, LIMITS.maxListParts);
  const marker = integerHeader(ctx, 'x-amz-part-number-marker', 0, 0, LIMITS.maxPartNumber);
  const checksum = objectChecksumOf(record.headers);
  const listed = checksum ? (stored ?? []) : [];
  const page = listed.slice(marker, marker + maxParts).map((p, i) => ({
    PartNumber: marker + i + 1,
    Size: p.size,
    ...(checksum && p.checksum !== undefined ? { Checksums: { [checksum.algorithm]: p.checksum } } : {}),
  }));
  const last = page[page.length - 1];
  return {
    TotalPartsCount: count,
    PartNumberMarker: marker,
    NextPartNumberMarker: last?.PartNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: marker + page.length < listed.length,
    Part: page,
  };
}

export async function getObjectAttributes(ctx: RequestContext, bucket: string): Promise<void> {
  if (ctx.dialect !== 's3') {
    throw new CosHttpError(
      'NotImplemented',
      'GET Object ?attributes is S3 GetObjectAttributes, which COS does not have: sign the request with SigV4.',
    );
  }
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  const attributes = attributesOf(ctx);
  const versionId = requestedVersionId(ctx);
  const record = await ctx.store.getObject(bucket, ctx.key, { versionId });
  if (!record) throw await missingObject(ctx, bucket, versionId);
  // As HEAD: an SSE-C object's attributes need its key.
  checkCustomerKey(record.encryption, customerKeyOf(ctx)?.key);
  const checksum = objectChecksumOf(record.headers);
  const result: GetObjectAttributesResult = {
    ...(attributes.has('ETag') ? { ETag: record.etag.replace(/^"|"$/g, '') } : {}),
    ...(attributes.has('Checksum') && checksum
      ? { Checksum: { Checksums: { [checksum.algorithm]: checksum.value }, ChecksumType: checksum.type } }
      : {}),
    ...(attributes.has('ObjectParts') ? { ObjectParts: objectParts(ctx, record) } : {}),
    ...(attributes.has('StorageClass')
      ? { StorageClass: record.headers['x-cos-storage-class'] ?? 'STANDARD' }
      : {}),
    ...(attributes.has('ObjectSize') ? { ObjectSize: record.size } : {}),
  };
  sendXml(ctx.res, 200, buildGetObjectAttributesResult(result), {
    'Last-Modified': new Date(record.lastModified).toUTCString(),
    ...versionHeaders(info, record),
  });
}
