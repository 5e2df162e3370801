/** HEAD and GET Object: Range, conditional headers, response-* overrides, traffic limit. */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkCustomerKey } from '../../store/encryption.js';
import type { BucketInfo, ObjectInfo, OpenedObject } from '../../store/store.js';
import { trafficLimitOf } from '../body.js';
import { checksumResponseHeaders } from '../checksums.js';
import { evaluateConditions } from '../conditions.js';
import { CosHttpError } from '../cos-http-error.js';
import { objectResponseHeaders } from '../object-headers.js';
import { partHead, partRead } from '../object-part-read.js';
import { parseRange } from '../range.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { requireReadable } from '../restore-state.js';
import { type CustomerKey, customerKeyOf, sseResponseHeaders } from '../sse.js';
import { throttle } from '../throttle.js';
import { missingObject, requestedVersionId, versionHeaders } from '../version-id.js';

/**
 * Answers of at most this many bytes (and no traffic limit) are read into one buffer before the
 * headers go out and sent with them in one write: no stream, no pipeline, one syscall — for small
 * objects those cost more than reading the bytes. Memory: up to this much per such request.
 */
const WHOLE_ANSWER_MAX_BYTES = 256 * 1024;

const OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

async function requireBucket(ctx: RequestContext, bucket: string): Promise<BucketInfo> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  return info;
}

function checkConditions(ctx: RequestContext, record: ObjectInfo): 'proceed' | 'not-modified' {
  const outcome = evaluateConditions(
    {
      ifMatch: ctx.header('if-match'),
      ifNoneMatch: ctx.header('if-none-match'),
      ifModifiedSince: ctx.header('if-modified-since'),
      ifUnmodifiedSince: ctx.header('if-unmodified-since'),
    },
    record.etag,
    record.lastModified,
    true,
  );
  if (outcome === 'precondition-failed') throw new CosHttpError('PreconditionFailed');
  return outcome;
}

/**
 * COS: "objects protected by server-side encryption must be accessed with a valid signature and
 * cannot be accessed by anonymous users" — even in a public-read bucket.
 */
function requireSignedForEncrypted(ctx: RequestContext, record: ObjectInfo): void {
  if (record.encryption && ctx.principal.kind === 'anonymous') {
    throw new CosHttpError(
      'AccessDenied',
      'An encrypted object cannot be read anonymously: sign the request.',
    );
  }
}

function headersFor(
  ctx: RequestContext,
  bucket: BucketInfo,
  record: ObjectInfo,
  customer: CustomerKey | undefined,
): Record<string, string> {
  const headers = {
    ...objectResponseHeaders(record),
    ...versionHeaders(bucket, record),
    ...sseResponseHeaders(record.encryption, customer),
  };
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const value = ctx.param(param);
    if (value !== undefined) headers[header] = value;
  }
  return headers;
}

export async function headObject(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await requireBucket(ctx, bucket);
  const versionId = requestedVersionId(ctx);
  const record = await ctx.store.getObject(bucket, ctx.key, { versionId });
  if (!record) throw await missingObject(ctx, bucket, versionId);
  requireSignedForEncrypted(ctx, record);
  const customer = customerKeyOf(ctx);
  // The rule GET's openObject applies, so HEAD answers as GET would.
  checkCustomerKey(record.encryption, customer?.key);
  const headers = headersFor(ctx, info, record, customer);
  if (checkConditions(ctx, record) === 'not-modified') {
    sendEmpty(ctx.res, 304, { ETag: record.etag });
    return;
  }
  const part = partRead(ctx, record);
  if (part) {
    const head = partHead(part, record.size);
    ctx.res.writeHead(head.status, { ...headers, ...head.headers });
    ctx.res.end();
    return;
  }
  ctx.res.writeHead(200, {
    ...headers,
    ...checksumResponseHeaders(ctx, record),
    'Content-Length': record.size,
  });
  ctx.res.end();
}

export async function getObject(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await requireBucket(ctx, bucket);
  const versionId = requestedVersionId(ctx);
  const customer = customerKeyOf(ctx);
  const object = await ctx.store.openObject(bucket, ctx.key, { versionId, customerKey: customer?.key });
  if (!object) throw await missingObject(ctx, bucket, versionId);
  try {
    requireSignedForEncrypted(ctx, object.info);
    requireReadable(object.info);
    await sendObject(ctx, info, object, customer);
  } finally {
    object.close();
  }
}

async function sendObject(
  ctx: RequestContext,
  bucket: BucketInfo,
  object: OpenedObject,
  customer: CustomerKey | undefined,
): Promise<void> {
  const record = object.info;
  const headers = headersFor(ctx, bucket, record, customer);
  const limit = trafficLimitOf(ctx);
  if (checkConditions(ctx, record) === 'not-modified') {
    sendEmpty(ctx.res, 304, { ETag: record.etag });
    return;
  }
  const part = partRead(ctx, record);
  if (part) {
    const head = partHead(part, record.size);
    ctx.res.writeHead(head.status, { ...headers, ...head.headers });
    if (part.end < part.start) {
      ctx.res.end();
      return;
    }
    const body = object.read({ start: part.start, end: part.end });
    await pipeline(limit === undefined ? body : Readable.from(throttle(body, limit)), ctx.res);
    return;
  }
  const range = parseRange(ctx.header('range'), record.size);
  if (range.kind === 'unsatisfiable') {
    ctx.res.setHeader('Content-Range', `bytes */${record.size}`);
    throw new CosHttpError('InvalidRange');
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : record.size - 1;
  const status = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${record.size}`;
  // A part of the object has no checksum of its own to answer.
  else Object.assign(headers, checksumResponseHeaders(ctx, record));
  const length = end - start + 1;
  if (end < start) {
    ctx.res.writeHead(status, { ...headers, 'Content-Length': 0 });
    ctx.res.end();
    return;
  }
  if (limit === undefined && length <= WHOLE_ANSWER_MAX_BYTES) {
    // Read before the headers go out: a failed read is still answered as an error.
    const bytes = await object.readAll({ start, end });
    ctx.res.writeHead(status, { ...headers, 'Content-Length': length });
    ctx.res.end(bytes);
    return;
  }
  ctx.res.writeHead(status, { ...headers, 'Content-Length': length });
  const body = object.read({ start, end });
  await pipeline(limit === undefined ? body : Readable.from(throttle(body, limit)), ctx.res);
}
