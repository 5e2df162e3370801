/**
 * PUT Object - Copy (`PUT /<key>` with `x-cos-copy-source`, doc 10881). Within this server the
 * target shares the source's blobs: no byte is read or written, whatever the size. The source is
 * re-read inside the store's commit, so the copy-source conditions hold for exactly what is
 * copied. Storage class, ACL and tags are not inherited unless the directive and headers say so.
 */
import {
  AWS_CHECKSUM_ALGORITHMS,
  type AwsChecksumAlgorithm,
  buildCopyObjectResult,
  COPY_SOURCE_CONDITION_HEADERS,
  forbidsOverwrite,
  LIMITS,
  METADATA_DIRECTIVES,
  type MetadataDirective,
  parseChecksumAlgorithm,
  REQUEST_HEADERS,
  RESPONSE_HEADERS,
  USER_METADATA_PREFIX,
} from '@coskit/protocol';
import {
  checksumHeaders,
  type ObjectChecksum,
  objectChecksumOf,
  withoutChecksum,
} from '../../store/object-checksum.js';
import type { ObjectInfo, StoredHeaders } from '../../store/store.js';
import { algorithmName, checksumElements, checksumOfStream } from '../checksums.js';
import { evaluateConditions, writeConditionCheck } from '../conditions.js';
import { copySourceOf } from '../copy-source.js';
import { CosHttpError } from '../cos-http-error.js';
import { storedHeadersOf } from '../object-headers.js';
import { isAclHeader } from '../object-tags-and-grants.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { requireReadable } from '../restore-state.js';
import { customerKeyOf, encryptionRequestOf, sseResponseHeaders } from '../sse.js';
import { versionHeaders } from '../version-id.js';

/** Headers that are the object's metadata proper: what the `Copy` directive carries over. */
const METADATA_HEADERS = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
]);

function directiveOf(ctx: RequestContext): MetadataDirective {
  const value = ctx.header(REQUEST_HEADERS.metadataDirective);
  if (value === undefined || value === '') return 'Copy';
  const directive = METADATA_DIRECTIVES.find((d) => d.toLowerCase() === value.toLowerCase());
  if (!directive) {
    throw new CosHttpError(
      'InvalidArgument',
      `x-cos-metadata-directive must be Copy or Replaced; got "${value}".`,
    );
  }
  return directive;
}

/** `x-cos-tagging-directive` (S3: `x-amz-tagging-directive`), if given. */
function taggingDirectiveOf(ctx: RequestContext): MetadataDirective | undefined {
  const value = ctx.header(REQUEST_HEADERS.taggingDirective);
  if (value === undefined || value === '') return undefined;
  const directive = METADATA_DIRECTIVES.find((d) => d.toLowerCase() === value.toLowerCase());
  if (!directive) {
    throw new CosHttpError(
      'InvalidArgument',
      `x-cos-tagging-directive must be Copy or Replaced (S3: COPY or REPLACE); got "${value}".`,
    );
  }
  return directive;
}

/**
 * The target's headers. `Replaced`: exactly what the request gives (as a PUT would store).
 * `Copy`: the source's metadata (content-*, cache-control, expires, x-cos-meta-*) and tags, with
 * the request's storage class, ACL and grants — and its tags, when it gives `x-cos-tagging`.
 * A tagging directive, when there is one, decides the tags alone: `Copy` the source's, `Replaced`
 * the request's (none if it gives none). The S3 checksum follows the bytes: the source's, unless
 * `checksum` is the one this copy computed.
 */
function targetHeaders(
  directive: MetadataDirective,
  tagging: MetadataDirective | undefined,
  requested: StoredHeaders,
  source: ObjectInfo,
  checksum: ObjectChecksum | undefined,
): StoredHeaders {
  const headers = metadataHeaders(directive, requested, source);
  if (tagging !== undefined) {
    const tags = (tagging === 'Copy' ? source : { headers: requested }).headers[REQUEST_HEADERS.tagging];
    if (tags === undefined) delete headers[REQUEST_HEADERS.tagging];
    else headers[REQUEST_HEADERS.tagging] = tags;
  }
  const kept = checksum ?? objectChecksumOf(source.headers);
  return kept ? { ...withoutChecksum(headers), ...checksumHeaders(kept) } : headers;
}

/** The headers the metadata directive gives (see {@link targetHeaders}). */
function metadataHeaders(
  directive: MetadataDirective,
  requested: StoredHeaders,
  source: ObjectInfo,
): StoredHeaders {
  if (directive === 'Replaced') return { ...requested };
  const headers: StoredHeaders = {};
  for (const [name, value] of Object.entries(source.headers)) {
    if (
      METADATA_HEADERS.has(name) ||
      name.startsWith(USER_METADATA_PREFIX) ||
      name === REQUEST_HEADERS.tagging
    ) {
      headers[name] = value;
    }
  }
  for (const [name, value] of Object.entries(requested)) {
    if (name === 'x-cos-storage-class' || isAclHeader(name) || name === REQUEST_HEADERS.tagging)
      headers[name] = value;
  }
  return headers;
}

export async function putObjectCopy(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const source = copySourceOf(ctx);
  const sourceBucket = await ctx.store.getBucket(source.bucket);
  if (!sourceBucket) {
    throw new CosHttpError('NoSuchBucket', `Source bucket ${source.bucket} does not exist.`);
  }
  const directive = directiveOf(ctx);
  // S3's tagging directive defaults to COPY whatever the metadata directive; COS has none.
  const tagging = taggingDirectiveOf(ctx) ?? (ctx.dialect === 's3' ? 'Copy' : undefined);
  const algorithm = copyChecksumAlgorithmOf(ctx);
  const requested = storedHeadersOf(ctx.header, ctx.headerNames, ctx.key);
  const ontoItself = source.bucket === bucket && source.key === ctx.key && source.versionId === undefined;
  // Not inherited from the source (doc 10881): the target is stored as this request says.
  const encryption = encryptionRequestOf(ctx);
  const sourceKey = customerKeyOf(ctx, 'copySource');
  const customer = customerKeyOf(ctx);
  if (
    ontoItself &&
    directive === 'Copy' &&
    requested['x-cos-storage-class'] === undefined &&
    encryption === undefined &&
    taggingDirectiveOf(ctx) !== 'Replaced' &&
    algorithm === undefined
  ) {
    throw new CosHttpError(
      'InvalidRequest',
      'This copy request is illegal because it is trying to copy an object to itself without changing its metadata, storage class or encryption: send x-cos-metadata-directive: Replaced.',
    );
  }
  const conditions = {
    ifMatch: ctx.header(COPY_SOURCE_CONDITION_HEADERS.ifMatch),
    ifNoneMatch: ctx.header(COPY_SOURCE_CONDITION_HEADERS.ifNoneMatch),
    ifModifiedSince: ctx.header(COPY_SOURCE_CONDITION_HEADERS.ifModifiedSince),
    ifUnmodifiedSince: ctx.header(COPY_SOURCE_CONDITION_HEADERS.ifUnmodifiedSince),
  };
  // A new checksum is computed over the source's bytes before the commit, which checks that the
  // source is still what was read.
  const computed =
    algorithm === undefined ? undefined : await checksumOfSource(ctx, source, algorithm, sourceKey?.key);
  /** The version copied, as the store read it inside its commit. */
  let copied: ObjectInfo | undefined;
  const record = await ctx.store.copyObject(
    source,
    { bucket, key: ctx.key },
    {
      forbidOverwrite: forbidsOverwrite(ctx.header(REQUEST_HEADERS.forbidOverwrite)),
      encryption,
      sourceCustomerKey: sourceKey?.key,
      targetCheck: writeConditionCheck(ctx.header),
      headersFor: (from) => targetHeaders(directive, tagging, requested, from, computed?.checksum),
      check: (from) => {
        copied = from;
        if (computed && (from.etag !== computed.of.etag || from.lastModified !== computed.of.lastModified)) {
          throw new CosHttpError(
            'OperationAborted',
            'The copy source changed while its checksum was computed. Please try again.',
          );
        }
        if (evaluateConditions(conditions, from.etag, from.lastModified, true) !== 'proceed') {
          throw new CosHttpError('PreconditionFailed');
        }
        requireReadable(from);
        if (from.appendable) {
          throw new CosHttpError('InvalidRequest', 'An appendable object cannot be copied (COS doc 7741).');
        }
        if (from.size > LIMITS.maxCopyObjectSize) {
          throw new CosHttpError(
            'EntityTooLarge',
            `PUT Object - Copy copies at most ${LIMITS.maxCopyObjectSize} bytes; use Upload Part - Copy.`,
          );
        }
      },
    },
  );
  const headers: Record<string, string> = {
    [RESPONSE_HEADERS.crc64]: record.crc64,
    ...versionHeaders(undefined, record),
    ...sseResponseHeaders(record.encryption, customer),
  };
  const sourceVersion = copied && versionHeaders(sourceBucket, copied)[RESPONSE_HEADERS.versionId];
  if (sourceVersion !== undefined) headers[RESPONSE_HEADERS.copySourceVersionId] = sourceVersion;
  sendXml(
    ctx.res,
    200,
    buildCopyObjectResult({
      ETag: record.etag,
      CRC64: record.crc64,
      LastModified: new Date(record.lastModified).toISOString(),
      ...(record.versionId === undefined ? {} : { VersionId: record.versionId }),
      ...checksumElements(record),
    }),
    headers,
  );
}

/** CopyObject's `x-amz-checksum-algorithm` (S3 only): the checksum the copy gets instead of the source's. */
function copyChecksumAlgorithmOf(ctx: RequestContext): AwsChecksumAlgorithm | undefined {
  if (ctx.dialect !== 's3') return undefined;
  const raw = ctx.header('x-amz-checksum-algorithm');
  if (raw === undefined) return undefined;
  const algorithm = parseChecksumAlgorithm(raw);
  if (algorithm === undefined) {
    throw new CosHttpError(
      'InvalidRequest',
      `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${AWS_CHECKSUM_ALGORITHMS.map(algorithmName).join(', ')}]`,
    );
  }
  return algorithm;
}

/**
 * The FULL_OBJECT checksum of `algorithm` the copy gets, and the source version it was made of: the
 * source's own when it already has that one (no byte read), else computed over its bytes (one pass,
 * one checksum state). Undefined when the source is missing (the copy then says why).
 */
async function checksumOfSource(
  ctx: RequestContext,
  source: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined },
  algorithm: AwsChecksumAlgorithm,
  customerKey: Buffer | undefined,
): Promise<{ checksum: ObjectChecksum; of: ObjectInfo } | undefined> {
  const opened = await ctx.store.openObject(source.bucket, source.key, {
    versionId: source.versionId,
    customerKey,
  });
  if (!opened) return undefined;
  try {
    const own = objectChecksumOf(opened.info.headers);
    if (own?.algorithm === algorithm && own.type === 'FULL_OBJECT') return { checksum: own, of: opened.info };
    if (opened.info.size > LIMITS.maxCopyObjectSize) {
      throw new CosHttpError(
        'EntityTooLarge',
        `PUT Object - Copy copies at most ${LIMITS.maxCopyObjectSize} bytes; use Upload Part - Copy.`,
      );
    }
    requireReadable(opened.info);
    const value = await checksumOfStream(opened.read(), algorithm);
    return { checksum: { algorithm, value, type: 'FULL_OBJECT' }, of: opened.info };
  } finally {
    opened.close();
  }
}
