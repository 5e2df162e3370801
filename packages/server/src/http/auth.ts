/**
 * Authentication of every request: the q-sign signature from the Authorization header or the
 * query (pre-signed URL), its time window, the SecretId, and the STS token of temporary keys.
 */
import {
  checkSignTime,
  isQSignParam,
  type Pair,
  parseAuthorization,
  REQUEST_EXPIRED_MESSAGE,
  REQUEST_HEADERS,
  readQSignFields,
  verifySignature,
} from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';

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
}

/**
 * Query parameters that select an operation: if present they must be signed, or a pre-signed
 * URL for one request could be replayed as another (e.g. a GET turned into a List Parts).
 */
const ACTION_PARAMS = ['uploads', 'uploadid', 'partnumber', 'append', 'position', 'versionid'];

export function authenticate(input: AuthInput, credentials: ReadonlyMap<string, Credential>): Principal {
  const headerValue = input.header('authorization');
  const fromQuery = headerValue === undefined || headerValue.trim() === '';
  const fields = fromQuery
    ? readQSignFields((name) => input.query.find(([n]) => n.toLowerCase() === name)?.[1])
    : parseAuthorization(headerValue);
  if (!fields) {
    if (fromQuery && !input.query.some(([n]) => isQSignParam(n))) return { kind: 'anonymous' };
    throw new CosHttpError('AccessDenied', 'The Authorization value is not a complete q-sign signature.');
  }
  if (fields.algorithm.toLowerCase() !== 'sha1') {
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
    const lower = name.toLowerCase();
    if (ACTION_PARAMS.includes(lower) && !signedParams.has(lower)) {
      throw new CosHttpError(
        'AccessDenied',
        `The query parameter "${name}" must be covered by the signature.`,
      );
    }
  }
  // Pre-signed URLs carry the q-* fields (and the token) beside the real parameters.
  const query = fromQuery ? input.query.filter(([n]) => !isQSignParam(n)) : input.query;
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
