/**
 * The XML request bodies of the object APIs (Delete, ACL, tagging, versioning, restore): read
 * within a size bound, Content-MD5 checked when given (or required), empty refused.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '@coskit/protocol';
import { expectedMd5, readSmallBody } from './body.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

export interface XmlBodyOptions {
  /** Largest body accepted, bytes. Default `LIMITS.maxSmallXmlBytes`. */
  readonly max?: number;
  /** Refuse a request without Content-MD5 (Delete Multiple Objects, as COS requires). */
  readonly requireMd5?: boolean;
}

/**
 * The whole body: `XMLSizeLimit` past `max`, `MissingRequestBodyError` when empty,
 * `InvalidRequest` without a required Content-MD5, `InvalidDigest`/`BadDigest` for a malformed or
 * wrong one.
 */
export async function readXmlBody(ctx: RequestContext, options: XmlBodyOptions = {}): Promise<Buffer> {
  const md5 = expectedMd5(ctx);
  // An x-amz-checksum-* the body is verified against does the same job (S3 takes either).
  if (md5 === undefined && options.requireMd5 && ctx.body.verifiedChecksum === undefined) {
    throw new CosHttpError('InvalidRequest', 'Missing required header for this request: Content-MD5.');
  }
  const body = await readSmallBody(ctx, options.max ?? LIMITS.maxSmallXmlBytes);
  if (body.byteLength === 0) throw new CosHttpError('MissingRequestBodyError');
  if (md5 !== undefined && createHash('md5').update(body).digest('hex') !== md5) {
    throw new CosHttpError('BadDigest');
  }
  return body;
}
