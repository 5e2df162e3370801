/**
 * S3's part reads: GET/HEAD Object with `?partNumber=N` answer part N of a multipart object (its byte
 * range, `206` with `Content-Range`, and `x-amz-mp-parts-count`), or the whole of any other object
 * for part 1; the part's own checksum is what checksum mode answers. Part sizes come from what
 * Complete kept (store/object-parts.ts).
 */
import { checkPartNumber } from '@coskit/protocol';
import { objectChecksumOf } from '../store/object-checksum.js';
import { objectPartsOf } from '../store/object-parts.js';
import type { ObjectInfo } from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

/** The bytes and headers of the part a read asks for. */
export interface PartRead {
  /** Inclusive byte offsets in the object. */
  readonly start: number;
  readonly end: number;
  /** Whether the object is multipart (then the answer is 206 with the part count). */
  readonly multipart: boolean;
  readonly headers: Record<string, string>;
}

/**
 * The part `?partNumber=` names, or undefined when the request names none.
 * @throws CosHttpError InvalidArgument (not 1…10000), InvalidRequest (with a Range header),
 *   InvalidPart (beyond the object's parts).
 */
export function partRead(ctx: RequestContext, record: ObjectInfo): PartRead | undefined {
  const raw = ctx.param('partNumber');
  if (raw === undefined) return undefined;
  const problem = checkPartNumber(raw);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  if (ctx.header('range') !== undefined) {
    throw new CosHttpError(
      'InvalidRequest',
      'Cannot specify both Range header and partNumber query parameter.',
    );
  }
  const n = Number(raw);
  const stored = objectPartsOf(record.headers);
  const parts = stored ?? [{ size: record.size }];
  if (n > parts.length) {
    throw new CosHttpError('InvalidPart', `The object has ${parts.length} part(s): there is no part ${n}.`);
  }
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += parts[i]!.size;
  const part = parts[n - 1]!;
  const headers: Record<string, string> = stored ? { 'x-amz-mp-parts-count': String(parts.length) } : {};
  const checksum = objectChecksumOf(record.headers);
  if (ctx.header('x-amz-checksum-mode')?.trim().toUpperCase() === 'ENABLED' && checksum) {
    const value = stored ? part.checksum : checksum.value;
    if (value !== undefined) {
      headers[`x-amz-checksum-${checksum.algorithm}`] = value;
      headers['x-amz-checksum-type'] = checksum.type;
    }
  }
  return { start, end: start + part.size - 1, multipart: stored !== undefined, headers };
}

/** The status and headers of a part read's answer: 206 with `Content-Range` for a multipart object. */
export function partHead(
  part: PartRead,
  objectSize: number,
): { status: number; headers: Record<string, string | number> } {
  return {
    status: part.multipart ? 206 : 200,
    headers: {
      ...part.headers,
      ...(part.multipart ? { 'Content-Range': `bytes ${part.start}-${part.end}/${objectSize}` } : {}),
      'Content-Length': part.end - part.start + 1,
    },
  };
}
