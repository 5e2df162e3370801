/**
 * S3's POST Object form signed with SigV4 (the S3 API reference, "Authenticating Requests in Browser-Based
 * Uploads Using POST (AWS Signature Version 4)"): the form carries `policy` (base64 JSON), `x-amz-algorithm`,
 * `x-amz-credential`, `x-amz-date` and `x-amz-signature` = hex HMAC-SHA256(signing key, the base64 policy
 * as sent). The policy's conditions are COS's (`post-policy.ts` checks them for both signature forms).
 */
import { SIGV4_ALGORITHM } from './names.js';
import type { SigV4Credential } from './scope.js';
import { deriveSigningKey, signatureOf } from './signing-key.js';

/** The form fields of a SigV4-signed POST (lower case, as fields are matched). */
export const SIGV4_POST_FIELDS = {
  algorithm: 'x-amz-algorithm',
  credential: 'x-amz-credential',
  date: 'x-amz-date',
  signature: 'x-amz-signature',
  securityToken: 'x-amz-security-token',
} as const;

/** Whether a form carries any SigV4 signature field (then it must carry them all, with `policy`). */
export function isSigV4PostForm(has: (field: string) => boolean): boolean {
  return [SIGV4_POST_FIELDS.algorithm, SIGV4_POST_FIELDS.credential, SIGV4_POST_FIELDS.signature].some(has);
}

/** `x-amz-signature` of a POST policy: the base64 text exactly as the form's `policy` field carries it. */
export function sigV4PostPolicySignature(
  policyBase64: string,
  secretAccessKey: string,
  credential: Pick<SigV4Credential, 'date' | 'region' | 'service'>,
): string {
  return signatureOf(deriveSigningKey(secretAccessKey, credential), policyBase64);
}

/** The algorithm value a SigV4 POST form must name. */
export const SIGV4_POST_ALGORITHM = SIGV4_ALGORITHM;
