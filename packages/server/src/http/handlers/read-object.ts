/** HEAD and GET Object: Range, conditional headers, response-* overrides, traffic limit. */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectInfo, OpenedObject } from '../../store/store.js';
import { trafficLimitOf } from '../body.js';
import { evaluateConditions } from '../conditions.js';
import { CosHttpError } from '../cos-http-error.js';
import { objectResponseHeaders } from '../object-headers.js';
import { parseRange } from '../range.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { requireReadable } from '../restore-state.js';
import { throttle } from '../throttle.js';
import { requireCurrentVersion } from '../version-id.js';

const OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

async function requireBucket(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
}

function found<T>(ctx: RequestContext, object: T | undefined): T {
  if (!object) throw new CosHttpError('NoSuchKey');
  requireCurrentVersion(ctx);
  return object;
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

function headersFor(ctx: RequestContext, record: ObjectInfo): Record<string, string> {
  const headers = objectResponseHeaders(record);
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const value = ctx.param(param);
    if (value !== undefined) headers[header] = value;
  }
  return headers;
}

export async function headObject(ctx: RequestContext, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  const record = found(ctx, await ctx.store.getObject(bucket, ctx.key));
  const headers = headersFor(ctx, record);
  if (checkConditions(ctx, record) === 'not-modified') {
    sendEmpty(ctx.res, 304, { ETag: record.etag });
    return;
  }
  ctx.res.writeHead(200, { ...headers, 'Content-Length': record.size });
  ctx.res.end();
}

export async function getObject(ctx: RequestContext, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  const object = found(ctx, await ctx.store.openObject(bucket, ctx.key));
  try {
    requireReadable(object.info);
    await sendObject(ctx, object);
  } finally {
    object.close();
  }
}

async function sendObject(ctx: RequestContext, object: OpenedObject): Promise<void> {
  const record = object.info;
  const headers = headersFor(ctx, record);
  const limit = trafficLimitOf(ctx);
  if (checkConditions(ctx, record) === 'not-modified') {
    sendEmpty(ctx.res, 304, { ETag: record.etag });
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
  ctx.res.writeHead(status, { ...headers, 'Content-Length': end - start + 1 });
  if (end < start) {
    ctx.res.end();
    return;
  }
  const body = object.read({ start, end });
  await pipeline(limit === undefined ? body : Readable.from(throttle(body, limit)), ctx.res);
}
