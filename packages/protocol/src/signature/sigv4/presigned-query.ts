/**
 * The pre-signed (query-string) form of SigV4: `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
 * `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature` (and `X-Amz-Security-Token` for temporary
 * keys) in the URL. Names are case-sensitive as AWS signs them; each may appear once.
 */
import { LIMITS } from '../../limits.js';
import type { Pair } from '../canonical.js';
import { parseSignatureValue, parseSignedHeaders, type SigV4Authorization } from './authorization-header.js';
import { SigV4Error } from './error.js';
import { SIGV4_ALGORITHM, SIGV4_QUERY } from './names.js';
import { parseAmzDate, parseCredential } from './scope.js';

/** The signature fields of a pre-signed URL. */
export interface SigV4PresignedFields extends SigV4Authorization {
  /** `X-Amz-Date`, `YYYYMMDDTHHMMSSZ`. */
  readonly amzDate: string;
  /** `X-Amz-Expires`: seconds from `amzDate` during which the URL is valid, 1 … 604 800. */
  readonly expiresSeconds: number;
  /** `X-Amz-Security-Token`, for temporary keys. */
  readonly securityToken: string | undefined;
  /** `X-Amz-Content-Sha256` when the URL pins the body's hash; the payload is unsigned otherwise. */
  readonly contentSha256: string | undefined;
}

/** Whether the query carries SigV4 parameters, i.e. this is a pre-signed URL of the S3 dialect. */
export function hasSigV4Query(query: readonly Pair[]): boolean {
  return query.some(
    ([n]) => n === SIGV4_QUERY.algorithm || n === SIGV4_QUERY.credential || n === SIGV4_QUERY.signature,
  );
}

/** Whether a parameter is the signature itself, which the canonical query leaves out. */
export function isSigV4SignatureParam(name: string): boolean {
  return name === SIGV4_QUERY.signature;
}

/**
 * Reads and checks the pre-signed fields.
 * @throws SigV4Error `AuthorizationQueryParametersError` for a missing, repeated or malformed field,
 *   an algorithm other than AWS4-HMAC-SHA256, or `X-Amz-Expires` outside 1 … 604 800.
 */
export function readSigV4Query(query: readonly Pair[]): SigV4PresignedFields {
  const code = 'AuthorizationQueryParametersError';
  const one = (name: string, required: boolean): string | undefined => {
    const values = query.filter(([n]) => n === name);
    if (values.length > 1) throw new SigV4Error(code, `The query parameter ${name} appears more than once.`);
    if (required && (values.length === 0 || values[0]![1] === '')) {
      throw new SigV4Error(code, `The pre-signed URL is missing ${name}.`);
    }
    return values[0]?.[1];
  };
  const algorithm = one(SIGV4_QUERY.algorithm, true)!;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new SigV4Error(code, `X-Amz-Algorithm "${algorithm}" is not supported; use ${SIGV4_ALGORITHM}.`);
  }
  const credential = parseCredential(one(SIGV4_QUERY.credential, true)!, code);
  const amzDate = one(SIGV4_QUERY.date, true)!;
  if (parseAmzDate(amzDate) === undefined) {
    throw new SigV4Error(code, `X-Amz-Date "${amzDate}" is not YYYYMMDDTHHMMSSZ.`);
  }
  const expires = one(SIGV4_QUERY.expires, true)!;
  const expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= LIMITS.maxPresignedExpiresSeconds)) {
    throw new SigV4Error(
      code,
      `X-Amz-Expires must be a whole number of seconds from 1 to ${LIMITS.maxPresignedExpiresSeconds} (a week); got "${expires}".`,
    );
  }
  return {
    credential,
    signedHeaders: parseSignedHeaders(one(SIGV4_QUERY.signedHeaders, true)!, code),
    signature: parseSignatureValue(one(SIGV4_QUERY.signature, true)!, code),
    amzDate,
    expiresSeconds,
    securityToken: one(SIGV4_QUERY.securityToken, false),
    contentSha256: one(SIGV4_QUERY.contentSha256, false),
  };
}
