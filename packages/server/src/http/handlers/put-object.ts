/** PUT Object: a whole object, a "directory" (key ending in `/`), chunked or sized bodies. */
import { RESPONSE_HEADERS } from '@coskit/protocol';
import { incomingBody } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import { storedHeadersOf } from '../object-headers.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';

export async function putObject(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  if (ctx.header('x-cos-copy-source') !== undefined) {
    throw new CosHttpError(
      'NotImplemented',
      'PUT Object - Copy is not implemented by this server; use Upload Part - Copy.',
    );
  }
  const headers = storedHeadersOf(ctx.header, Object.keys(ctx.req.headers));
  if (ctx.header('x-cos-forbid-overwrite') === 'true' && (await ctx.store.getObject(bucket, ctx.key))) {
    throw new CosHttpError('PathConflict', 'x-cos-forbid-overwrite is true and the object exists.');
  }
  const record = await ctx.store.putObject(bucket, ctx.key, incomingBody(ctx), { headers });
  sendEmpty(ctx.res, 200, { ETag: record.etag, [RESPONSE_HEADERS.crc64]: record.crc64 });
}
