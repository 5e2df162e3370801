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
  isSigV4PostForm,
  type PostPolicy,
  parseAmzDate,
  parseCredential,
  postPolicySignature,
  REQUEST_EXPIRED_MESSAGE,
  S3_SERVICE,
  SIGV4_ALGORITHM,
  SIGV4_POST_FIELDS,
  SigV4Error,
  sigV4PostPolicySignature,
} from '@coskit/protocol';
import type { Credential, Principal } from './auth.js';
import { CosHttpError } from './cos-http-error.js';
import type { Dialect } from './dialect.js';

const SIGNATURE_FIELDS = ['policy', 'q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature'] as const;

export interface PostFormRequest {
  readonly bucket: string;
  /** The region a SigV4 form's credential must name. */
  readonly region: string;
  /** The key after `${filename}` substitution: what conditions on `key` see. */
  readonly key: string;
  readonly credentials: ReadonlyMap<string, Credential>;
  /** What dispatch found (Authorization header or anonymous). */
  readonly principal: Principal;
  readonly nowMs: number;
}

export interface PostFormIdentity {
  readonly principal: Principal;
  /** `s3` when the form is signed with SigV4 (`x-amz-*` fields): it is answered in S3's dialect. */
  readonly dialect: Dialect;
  /** The policy's `content-length-range`, bytes, if it has one. */
  readonly sizeRange?: { readonly min: number; readonly max: number } | undefined;
}

export function authenticatePostForm(
  fields: ReadonlyMap<string, string>,
  r: PostFormRequest,
): PostFormIdentity {
  if (isSigV4PostForm((name) => fields.has(name))) return authenticateSigV4Form(fields, r);
  if (!SIGNATURE_FIELDS.some((name) => fields.has(name))) return { principal: r.principal, dialect: 'cos' };
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
  return checkedPolicy(decoded.policy, fields, r, credential, 'cos');
}

/** The policy's expiration and conditions against the form; then the form is the credential's. */
function checkedPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  r: PostFormRequest,
  credential: Credential,
  dialect: Dialect,
): PostFormIdentity {
  const field = (name: string) => (name === 'bucket' ? r.bucket : name === 'key' ? r.key : fields.get(name));
  const problem = checkPostPolicy(policy, field, r.nowMs);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  return {
    principal: { kind: 'key', secretId: credential.secretId },
    dialect,
    sizeRange: contentLengthRangeOf(policy),
  };
}

const SIGV4_FORM_FIELDS = [
  'policy',
  SIGV4_POST_FIELDS.algorithm,
  SIGV4_POST_FIELDS.credential,
  SIGV4_POST_FIELDS.date,
  SIGV4_POST_FIELDS.signature,
] as const;

/**
 * S3's form: `x-amz-algorithm` AWS4-HMAC-SHA256, `x-amz-credential` of a known key scoped to this
 * region and `s3` on the day of `x-amz-date`, `x-amz-signature` = HMAC-SHA256 of the base64 policy
 * under that day's signing key, `x-amz-security-token` for temporary keys; then the same policy checks.
 */
function authenticateSigV4Form(fields: ReadonlyMap<string, string>, r: PostFormRequest): PostFormIdentity {
  const missing = SIGV4_FORM_FIELDS.filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw new CosHttpError(
      'AccessDenied',
      `A SigV4 POST form needs the fields ${SIGV4_FORM_FIELDS.join(', ')}; missing ${missing.join(', ')}.`,
    );
  }
  const algorithm = fields.get(SIGV4_POST_FIELDS.algorithm)!;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new CosHttpError(
      'InvalidArgument',
      `x-amz-algorithm must be ${SIGV4_ALGORITHM}, not "${algorithm}".`,
    );
  }
  let credential: ReturnType<typeof parseCredential>;
  try {
    credential = parseCredential(fields.get(SIGV4_POST_FIELDS.credential)!, 'InvalidArgument');
  } catch (err) {
    if (err instanceof SigV4Error) throw new CosHttpError(err.cosCode, err.message);
    throw err;
  }
  const amzDate = fields.get(SIGV4_POST_FIELDS.date)!;
  if (parseAmzDate(amzDate) === undefined || amzDate.slice(0, 8) !== credential.date) {
    throw new CosHttpError(
      'InvalidArgument',
      `x-amz-date "${amzDate}" is not a YYYYMMDDTHHMMSSZ time of the credential's day.`,
    );
  }
  if (credential.region !== r.region || credential.service !== S3_SERVICE) {
    throw new CosHttpError(
      'AuthorizationHeaderMalformed',
      `The credential is scoped to ${credential.region}/${credential.service}; expecting ${r.region}/${S3_SERVICE}.`,
      { Region: r.region },
    );
  }
  const secret = r.credentials.get(credential.accessKeyId);
  if (!secret) throw new CosHttpError('InvalidAccessKeyId');
  const policyText = fields.get('policy')!;
  const decoded = decodePostPolicy(policyText);
  if ('code' in decoded) throw new CosHttpError(decoded.code, decoded.message);
  const expected = sigV4PostPolicySignature(policyText, secret.secretKey, credential);
  if (!constantTimeEqual(expected, fields.get(SIGV4_POST_FIELDS.signature)!.toLowerCase())) {
    throw new CosHttpError(
      'SignatureDoesNotMatch',
      'x-amz-signature is not HMAC-SHA256(signing key, policy) for this credential.',
    );
  }
  if (fields.get(SIGV4_POST_FIELDS.securityToken) !== secret.token) {
    throw new CosHttpError('InvalidToken', 'The x-amz-security-token field does not belong to this key.');
  }
  return checkedPolicy(decoded.policy, fields, r, secret, 's3');
}
