/** APPEND Object: `POST /<key>?append&position=<n>`. */
import { RESPONSE_HEADERS } from '@coskit/protocol';
import { declaredLength, incomingBody } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import { storedHeadersOf } from '../object-headers.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { encryptionRequestOf } from '../sse.js';

export async function appendObject(ctx: RequestContext, bucket: string): Promise<void> {
  const raw = ctx.param('position');
  if (raw === undefined || !/^\d+$/.test(raw)) {
    throw new CosHttpError('InvalidArgument', 'APPEND needs position=<current object length> in the query.');
  }
  const position = Number(raw);
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  // Before the body is read; the store refuses it again inside its commit (versioning may be
  // enabled meanwhile). COS doc 7741: appendable objects take no part in versioning.
  if (info.versioning !== undefined) {
    throw new CosHttpError(
      'InvalidRequest',
      'APPEND Object is not supported on a bucket with versioning (enabled or suspended); use PUT Object or a multipart upload.',
    );
  }
  if (declaredLength(ctx) === undefined) throw new CosHttpError('MissingContentLength');
  // Early answers save the upload; the commit re-checks atomically (concurrent appends).
  const current = await ctx.store.getObject(bucket, ctx.key);
  if (current && !current.appendable) throw new CosHttpError('ObjectNotAppendable');
  if ((current?.size ?? 0) !== position) {
    throw new CosHttpError(
      'AppendPositionErr',
      `Position ${position} is not the object's length ${current?.size ?? 0}.`,
      {
        NextAppendPosition: String(current?.size ?? 0),
      },
    );
  }
  const headers = storedHeadersOf(ctx.header, ctx.headerNames, ctx.key);
  delete headers['x-cos-storage-class']; // the request's storage class is ignored on append
  // The store refuses any encryption: APPEND Object documents no SSE headers (doc 7741).
  const encryption = encryptionRequestOf(ctx);
  const record = await ctx.store.appendObject(bucket, ctx.key, position, incomingBody(ctx), {
    headers,
    encryption,
  });
  sendEmpty(ctx.res, 200, {
    ETag: record.etag,
    [RESPONSE_HEADERS.nextAppendPosition]: String(record.size),
    [RESPONSE_HEADERS.crc64]: record.crc64,
  });
}
