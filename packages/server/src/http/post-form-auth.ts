/**
 * Who sent a POST Object form. With a `policy` (or any q-sign field) the form authenticates itself:
 * SHA-1 algorithm, a known `q-ak`, `q-key-time` within its window, `q-signature` over the policy
 * text, the STS token for temporary keys, then the policy's expiration and every condition (see
 * protocol `signature/post-policy.ts`). Without them the request is whoever dispatch authenticated
 * (an Authorization header, or anonymous — then only a public-read-write bucket accepts it).
 */
import {
  checkPostPolicy,
  checkSignTime,
  constantTimeEqual,
  contentLengthRangeOf,
  decodePostPolicy,
  postPolicySignature,
  REQUEST_EXPIRED_MESSAGE,
} from '@coskit/protocol';
import type { Credential, Principal } from './auth.js';
import { CosHttpError } from './cos-http-error.js';

const SIGNATURE_FIELDS = ['policy', 'q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature'] as const;

export interface PostFormRequest {
  readonly bucket: string;
  /** The key after `${filename}` substitution: what conditions on `key` see. */
  readonly key: string;
  readonly credentials: ReadonlyMap<string, Credential>;
  /** What dispatch found (Authorization header or anonymous). */
  readonly principal: Principal;
  readonly nowMs: number;
}

export interface PostFormIdentity {
  readonly principal: Principal;
  /** The policy's `content-length-range`, bytes, if it has one. */
  readonly sizeRange?: { readonly min: number; readonly max: number } | undefined;
}

export function authenticatePostForm(
  fields: ReadonlyMap<string, string>,
  r: PostFormRequest,
): PostFormIdentity {
  if (!SIGNATURE_FIELDS.some((name) => fields.has(name))) return { principal: r.principal };
  const missing = SIGNATURE_FIELDS.filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw new CosHttpError(
      'AccessDenied',
      `A signed POST form needs the fields ${SIGNATURE_FIELDS.join(', ')}; missing ${missing.join(', ')}.`,
    );
  }
  const algorithm = fields.get('q-sign-algorithm')!;
  if (algorithm.toLowerCase() !== 'sha1')
    throw new CosHttpError('AccessDenied', `Signature algorithm "${algorithm}" is not supported; use sha1.`);
  const ak = fields.get('q-ak')!;
  const credential = r.credentials.get(ak);
  if (!credential) throw new CosHttpError('InvalidAccessKeyId');
  const keyTime = fields.get('q-key-time')!;
  const window = checkSignTime(
    { algorithm, ak, signTime: keyTime, keyTime, headerList: '', urlParamList: '', signature: '' },
    Math.floor(r.nowMs / 1000),
  );
  if (window === 'malformed')
    throw new CosHttpError('AccessDenied', 'q-key-time must be "<start>;<end>" in Unix seconds.');
  if (window === 'expired') throw new CosHttpError('AccessDenied', REQUEST_EXPIRED_MESSAGE);
  if (window === 'not-yet-valid') throw new CosHttpError('RequestTimeTooSkewed');
  const decoded = decodePostPolicy(fields.get('policy')!);
  if ('code' in decoded) throw new CosHttpError(decoded.code, decoded.message);
  const expected = postPolicySignature(decoded.text, credential.secretKey, keyTime);
  if (!constantTimeEqual(expected, fields.get('q-signature')!.toLowerCase())) {
    throw new CosHttpError(
      'SignatureDoesNotMatch',
      'q-signature is not HMAC-SHA1(SignKey, SHA1(policy)) for this q-ak and q-key-time.',
    );
  }
  if (credential.token !== undefined && fields.get('x-cos-security-token') !== credential.token) {
    throw new CosHttpError(
      'AccessDenied',
      'Temporary keys need their x-cos-security-token field, and it does not match.',
    );
  }
  const field = (name: string) => (name === 'bucket' ? r.bucket : name === 'key' ? r.key : fields.get(name));
  const problem = checkPostPolicy(decoded.policy, field, r.nowMs);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  return {
    principal: { kind: 'key', secretId: credential.secretId },
    sizeRange: contentLengthRangeOf(decoded.policy),
  };
}
