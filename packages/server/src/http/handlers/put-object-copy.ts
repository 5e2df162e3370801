/**
 * PUT Object - Copy (`PUT /<key>` with `x-cos-copy-source`, doc 10881). Within this server the
 * target shares the source's blobs: no byte is read or written, whatever the size. The source is
 * re-read inside the store's commit, so the copy-source conditions hold for exactly what is
 * copied. Storage class, ACL and tags are not inherited unless the directive and headers say so.
 */
import {
  buildCopyObjectResult,
  COPY_SOURCE_CONDITION_HEADERS,
  forbidsOverwrite,
  LIMITS,
  METADATA_DIRECTIVES,
  type MetadataDirective,
  REQUEST_HEADERS,
  RESPONSE_HEADERS,
  USER_METADATA_PREFIX,
} from '@coskit/protocol';
import type { ObjectInfo, StoredHeaders } from '../../store/store.js';
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

/**
 * The target's headers. `Replaced`: exactly what the request gives (as a PUT would store).
 * `Copy`: the source's metadata (content-*, cache-control, expires, x-cos-meta-*) and tags, with
 * the request's storage class, ACL and grants — and its tags, when it gives `x-cos-tagging`.
 */
function targetHeaders(
  directive: MetadataDirective,
  requested: StoredHeaders,
  source: ObjectInfo,
): StoredHeaders {
  if (directive === 'Replaced') return requested;
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
    encryption === undefined
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
      headersFor: (from) => targetHeaders(directive, requested, from),
      check: (from) => {
        copied = from;
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
    }),
    headers,
  );
}
