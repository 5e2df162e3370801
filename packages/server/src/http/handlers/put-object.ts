/** PUT Object: a whole object, a "directory" (key ending in `/`), chunked or sized bodies. */
import { forbidsOverwrite, REQUEST_HEADERS, RESPONSE_HEADERS } from '@coskit/protocol';
import { incomingBody } from '../body.js';
import { checksumHeadersAtEnd, verifiedChecksumHeaders } from '../checksums.js';
import { writeConditionCheck } from '../conditions.js';
import { CosHttpError } from '../cos-http-error.js';
import { storedHeadersOf } from '../object-headers.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { customerKeyOf, encryptionRequestOf, sseResponseHeaders } from '../sse.js';
import { versionHeaders } from '../version-id.js';

export async function putObject(ctx: RequestContext, bucket: string): Promise<void> {
  const info = await ctx.store.getBucket(bucket);
  if (!info) throw new CosHttpError('NoSuchBucket');
  const headers = storedHeadersOf(ctx.header, ctx.headerNames, ctx.key);
  // Checked inside the store's commit: of two racing writers at most one creates the key (ignored
  // by the store once the bucket has had versioning).
  const forbidOverwrite = forbidsOverwrite(ctx.header(REQUEST_HEADERS.forbidOverwrite));
  const encryption = encryptionRequestOf(ctx);
  // The verified x-amz-checksum-* (a trailer's is known only at the end) is stored with the object.
  const body = { ...incomingBody(ctx), headersAtEnd: checksumHeadersAtEnd(ctx) };
  const record = await ctx.store.putObject(bucket, ctx.key, body, {
    headers,
    forbidOverwrite,
    encryption,
    targetCheck: writeConditionCheck(ctx.header),
  });
  sendEmpty(ctx.res, 200, {
    ETag: record.etag,
    [RESPONSE_HEADERS.crc64]: record.crc64,
    ...versionHeaders(info, record),
    ...sseResponseHeaders(record.encryption, customerKeyOf(ctx)),
    ...verifiedChecksumHeaders(ctx),
  });
}
