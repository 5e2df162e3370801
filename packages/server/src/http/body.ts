/** Request bodies: framing checks, bounded reads of small XML bodies, and streamed object bodies. */
import { checkTrafficLimit, LIMITS } from '@coskit/protocol';
import type { IncomingBody } from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';
import { throttle } from './throttle.js';

/** Declared body length, or undefined for a chunked body; throws on a missing or bad length. */
export function declaredLength(ctx: RequestContext): number | undefined {
  if (ctx.body.decodedLength !== undefined) return ctx.body.decodedLength;
  const raw = ctx.header('content-length');
  if (raw === undefined) {
    if (ctx.header('transfer-encoding')?.toLowerCase().includes('chunked')) return undefined;
    throw new CosHttpError('MissingContentLength');
  }
  if (!/^\d+$/.test(raw))
    throw new CosHttpError('InvalidArgument', `Content-Length "${raw}" is not a number.`);
  return Number(raw);
}

/** The validated `x-cos-traffic-limit` in bit/s, or undefined. */
export function trafficLimitOf(ctx: RequestContext): number | undefined {
  const raw = ctx.header('x-cos-traffic-limit');
  if (raw === undefined) return undefined;
  const problem = checkTrafficLimit(raw);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  return Number(raw);
}

/** The expected MD5 from `Content-MD5` as hex, or undefined; malformed → InvalidDigest. */
export function expectedMd5(ctx: RequestContext): string | undefined {
  return parseContentMd5(ctx.header('content-md5'));
}

/** A Content-MD5 value (header or POST form field) as hex, or undefined; malformed → InvalidDigest. */
export function parseContentMd5(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== raw.trim()) {
    throw new CosHttpError('InvalidDigest', 'Content-MD5 must be the base64 of a 16-byte MD5 digest.');
  }
  return bytes.toString('hex');
}

/**
 * The request body as the store ingests it: its declared length and Content-MD5 (parsed here,
 * checked by the store against what arrives and the operation's size limit), paced by
 * `x-cos-traffic-limit`.
 */
export function incomingBody(ctx: RequestContext): IncomingBody {
  const declared = declaredLength(ctx);
  const md5 = expectedMd5(ctx);
  const limit = trafficLimitOf(ctx);
  return {
    stream: limit === undefined ? ctx.body.stream : throttle(ctx.body.stream, limit),
    declaredLength: declared,
    md5,
  };
}

/** Reads a small body (XML) fully, refusing more than `max` bytes before buffering them. */
export async function readSmallBody(
  ctx: RequestContext,
  max: number = LIMITS.maxSmallXmlBytes,
): Promise<Buffer> {
  const length = ctx.body.decodedLength ?? ctx.header('content-length');
  if (length !== undefined && Number(length) > max) {
    throw new CosHttpError('XMLSizeLimit', `The XML body is ${length} bytes; at most ${max} are accepted.`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of ctx.body.stream) {
    size += chunk.byteLength;
    if (size > max) throw new CosHttpError('XMLSizeLimit', `The XML body exceeds ${max} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
