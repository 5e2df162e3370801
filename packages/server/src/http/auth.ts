/**
 * Authentication of every request. A request's form picks its signature dialect — AWS SigV4 of the
 * S3 dialect (sigv4-verifier.ts), or q-sign: the signature from the Authorization header or the query
 * of a pre-signed URL, its time window, the SecretId, and the STS token of temporary keys; a request
 * in no dialect's form is anonymous.
 */
import type { IncomingMessage } from 'node:http';
import {
  checkSignTime,
  encodeRfc3986,
  isQSignParam,
  isSubResource,
  type Pair,
  type QSignRead,
  REQUEST_EXPIRED_MESSAGE,
  REQUEST_HEADERS,
  readAuthorization,
  readQSignPairs,
  verifySignature,
} from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';
import type { Dialect } from './dialect.js';
import type { RequestBody } from './request-context.js';
import { SIGV4 } from './sigv4-verifier.js';

/** A key pair the server accepts; `token` marks temporary (STS) keys that must present it. */
export interface Credential {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string;
}

/** Who made the request. */
export type Principal = { readonly kind: 'anonymous' } | { readonly kind: 'key'; readonly secretId: string };

export interface AuthInput {
  readonly method: string;
  readonly signedPaths: readonly string[];
  readonly query: readonly Pair[];
  readonly header: (lowerName: string) => string | undefined;
  readonly nowSeconds: number;
  /** The request itself: a dialect may read every header value (SigV4) or frame the body. */
  readonly req: IncomingMessage;
  /** The path as on the request line (percent-encoded), without the query. */
  readonly rawPath: string;
  /** The region a signature is scoped to: the Host's, else the server's. */
  readonly region: string;
}

/** What authentication found: who, and (for a dialect that frames bodies) how to read the body. */
export interface Authentication {
  readonly principal: Principal;
  /** The payload as the signature vouches for it; the request itself when absent. */
  readonly body?: RequestBody;
  /** The header lookup handlers see, when the dialect adjusts it. */
  readonly header?: (lowerName: string) => string | undefined;
  /** The header names handlers see, when the dialect adjusts them (with `header`). */
  readonly headerNames?: readonly string[];
}

/**
 * Query parameters that must be signed when present: the sub-resources and the parameters that
 * select an operation or its target (else a pre-signed URL for one request could be replayed as
 * another, e.g. a GET turned into a List Parts), and the `response-*` overrides that change what
 * a response says (an unsigned `response-content-type` would let anyone holding a download URL
 * serve the object as HTML). Both official SDKs sign every query parameter.
 */
function mustBeSignedParam(name: string): boolean {
  return isSubResource(name) || name === 'position' || name === 'versionId' || name.startsWith('response-');
}

/**
 * Headers that must be signed when present and non-empty: they grant rights. Without this an
 * upload-only pre-signed URL could make its object public by adding `x-cos-acl: public-read`.
 * Both official SDKs sign every non-empty `x-cos-*` header.
 */
function mustBeSignedHeader(lowerName: string): boolean {
  return lowerName === REQUEST_HEADERS.acl || lowerName.startsWith('x-cos-grant-');
}

/** The single-parameter pre-signed form of the Node SDK's getObjectUrl: `?sign=<encoded q-sign>`. */
const SIGN_PARAM = 'sign';

/** A signature dialect: which requests are in its form, and how it verifies them. */
export interface SignatureVerifier {
  readonly name: string;
  /** The dialect its requests are answered in. */
  readonly dialect: Dialect;
  /** Whether the request carries this dialect's signature (by its Authorization or query). */
  matches(input: AuthInput): boolean;
  /** Verifies the signature; throws the COS error a bad one gets. */
  verify(input: AuthInput, credentials: ReadonlyMap<string, Credential>): Authentication;
}

const authorizationOf = (input: AuthInput): string | undefined => {
  const value = input.header('authorization');
  return value === undefined || value.trim() === '' ? undefined : value;
};

/**
 * q-sign, COS's own scheme. It claims every Authorization header and every query with a q-sign
 * field; a second dialect (say AWS SigV4, `Authorization: AWS4-HMAC-SHA256 …` or
 * `X-Amz-Signature`) goes before it in {@link VERIFIERS} and claims its own form.
 */
const Q_SIGN: SignatureVerifier = {
  name: 'q-sign',
  dialect: 'cos',
  matches: (input) =>
    authorizationOf(input) !== undefined || input.query.some(([n]) => isQSignParam(n) || n === SIGN_PARAM),
  verify: (input, credentials) => ({ principal: verifyQSign(input, credentials) }),
};

/** The dialects, tried in order: the first whose form matches verifies the request. */
export const VERIFIERS: readonly SignatureVerifier[] = [SIGV4, Q_SIGN];

/** The dialect a request will be answered in: that of the verifier its form picks; anonymous is `cos`. */
export function dialectOfRequest(input: AuthInput): Dialect {
  return VERIFIERS.find((v) => v.matches(input))?.dialect ?? 'cos';
}

export function authenticate(input: AuthInput, credentials: ReadonlyMap<string, Credential>): Authentication {
  const verifier = VERIFIERS.find((v) => v.matches(input));
  return verifier ? verifier.verify(input, credentials) : { principal: { kind: 'anonymous' } };
}

/** The q-sign fields of a request, read exactly from the header, the `q-*` query or `?sign=`. */
function readFields(input: AuthInput): QSignRead {
  const headerValue = authorizationOf(input);
  if (headerValue !== undefined) return readAuthorization(headerValue);
  const signForm = input.query.filter(([n]) => n === SIGN_PARAM);
  const qForm = input.query.filter(([n]) => isQSignParam(n));
  if (signForm.length > 1 || (signForm.length === 1 && qForm.length > 0)) {
    return { ok: false, problem: 'repeated', field: SIGN_PARAM };
  }
  return signForm.length === 1 ? readAuthorization(signForm[0]![1]) : readQSignPairs(qForm);
}

function verifyQSign(input: AuthInput, credentials: ReadonlyMap<string, Credential>): Principal {
  const fromQuery = authorizationOf(input) === undefined;
  const read = readFields(input);
  if (!read.ok) {
    throw new CosHttpError(
      'AccessDenied',
      read.problem === 'repeated'
        ? `The signature field "${read.field}" is given more than once; send exactly one q-sign value.`
        : `The Authorization value is not a complete q-sign signature: "${read.field}" is missing.`,
    );
  }
  const fields = read.fields;
  if (fields.algorithm !== 'sha1') {
    throw new CosHttpError(
      'AccessDenied',
      `Signature algorithm "${fields.algorithm}" is not supported; use sha1.`,
    );
  }
  const credential = credentials.get(fields.ak);
  if (!credential) throw new CosHttpError('InvalidAccessKeyId');
  switch (checkSignTime(fields, input.nowSeconds)) {
    case 'malformed':
      throw new CosHttpError(
        'AccessDenied',
        'q-sign-time / q-key-time must be "<start>;<end>" in Unix seconds.',
      );
    case 'expired':
      throw new CosHttpError('AccessDenied', REQUEST_EXPIRED_MESSAGE);
    case 'not-yet-valid':
      throw new CosHttpError('RequestTimeTooSkewed');
    case 'ok':
      break;
  }
  const signedParams = new Set(fields.urlParamList.split(';'));
  for (const [name] of input.query) {
    if (mustBeSignedParam(name) && !signedParams.has(encodeRfc3986(name).toLowerCase())) {
      throw new CosHttpError(
        'AccessDenied',
        `The query parameter "${name}" must be covered by the signature.`,
      );
    }
  }
  const signedHeaders = new Set(fields.headerList.split(';'));
  for (const name of Object.keys(input.req.headers)) {
    const lower = name.toLowerCase();
    if (mustBeSignedHeader(lower) && input.header(lower) !== '' && !signedHeaders.has(encodeRfc3986(lower))) {
      throw new CosHttpError('AccessDenied', `The header "${lower}" grants rights and must be signed.`);
    }
  }
  // Pre-signed URLs carry the q-* fields (or `sign`) beside the real parameters.
  const query = fromQuery ? input.query.filter(([n]) => !isQSignParam(n) && n !== SIGN_PARAM) : input.query;
  let check: ReturnType<typeof verifySignature> | undefined;
  for (const pathname of input.signedPaths) {
    check = verifySignature(fields, credential.secretKey, {
      method: input.method,
      pathname,
      query,
      header: input.header,
    });
    if (check.ok) break;
  }
  if (!check || !check.ok) {
    throw new CosHttpError(
      'SignatureDoesNotMatch',
      undefined,
      check && !check.ok ? { StringToSign: check.stringToSign, FormatString: check.formatString } : undefined,
    );
  }
  if (credential.token !== undefined) {
    const token =
      input.header(REQUEST_HEADERS.securityToken) ??
      input.query.find(([n]) => n.toLowerCase() === REQUEST_HEADERS.securityToken)?.[1];
    if (token !== credential.token) {
      throw new CosHttpError(
        'AccessDenied',
        'Temporary keys need their x-cos-security-token, and it does not match.',
      );
    }
  }
  return { kind: 'key', secretId: credential.secretId };
}
