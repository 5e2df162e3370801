/** Conditional requests: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since. */
import { CosHttpError } from './cos-http-error.js';

export type ConditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

export interface Conditions {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
  readonly ifUnmodifiedSince?: string | undefined;
}

const normalise = (etag: string) => etag.trim().replace(/^W\//, '').replace(/"/g, '');

function etagMatches(list: string, etag: string): boolean {
  const mine = normalise(etag);
  return list.split(',').some((candidate) => candidate.trim() === '*' || normalise(candidate) === mine);
}

/** Evaluates conditions in the RFC 9110 order; times compare at one-second precision. */
export function evaluateConditions(
  c: Conditions,
  etag: string,
  lastModified: number,
  readMethod: boolean,
): ConditionOutcome {
  const modifiedSeconds = Math.floor(lastModified / 1000);
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, etag)) return 'precondition-failed';
  } else if (c.ifUnmodifiedSince !== undefined) {
    const t = Date.parse(c.ifUnmodifiedSince);
    if (!Number.isNaN(t) && modifiedSeconds > Math.floor(t / 1000)) return 'precondition-failed';
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, etag)) return readMethod ? 'not-modified' : 'precondition-failed';
  } else if (c.ifModifiedSince !== undefined && readMethod) {
    const t = Date.parse(c.ifModifiedSince);
    if (!Number.isNaN(t) && modifiedSeconds <= Math.floor(t / 1000)) return 'not-modified';
  }
  return 'proceed';
}

/**
 * The check a conditional write (PUT Object, Complete, Copy) runs inside its commit against the object
 * it would replace, from the request's `If-Match` / `If-None-Match` (S3's conditional writes):
 * `If-None-Match: *` or the current ETag → 412 `PreconditionFailed` when the key holds an object;
 * `If-Match` (`*` or ETags) → 404 `NoSuchKey` when it holds none, 412 when no ETag matches. Undefined
 * when the request names neither (the write is unconditional).
 */
export function writeConditionCheck(
  header: (lowerName: string) => string | undefined,
): ((current: { readonly etag: string } | undefined) => void) | undefined {
  const ifMatch = header('if-match');
  const ifNoneMatch = header('if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return (current) => {
    if (ifMatch !== undefined) {
      if (!current) throw new CosHttpError('NoSuchKey', 'If-Match names an object, and the key holds none.');
      if (!etagMatches(ifMatch, current.etag)) throw new CosHttpError('PreconditionFailed');
    }
    if (ifNoneMatch !== undefined && current && etagMatches(ifNoneMatch, current.etag)) {
      throw new CosHttpError('PreconditionFailed');
    }
  };
}
