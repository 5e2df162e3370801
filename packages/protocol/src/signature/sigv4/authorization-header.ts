/**
 * The header form of SigV4:
 * `Authorization: AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<a;b;c>, Signature=<64 hex>`.
 * Parsing is exact: the three fields once each, nothing else, or `AuthorizationHeaderMalformed`.
 */
import type { CosErrorCode } from '../../errors.js';
import { SigV4Error } from './error.js';
import { SIGV4_ALGORITHM } from './names.js';
import { formatCredential, parseCredential, type SigV4Credential } from './scope.js';

/** The three fields of a SigV4 signature, wherever they were carried. */
export interface SigV4Authorization {
  readonly credential: SigV4Credential;
  /** Lower-case header names, sorted, without duplicates; always includes `host`. */
  readonly signedHeaders: readonly string[];
  /** 64 lower-case hex characters. */
  readonly signature: string;
}

/** Formats the `Authorization` header value (the AWS SDKs' spacing). */
export function formatSigV4Authorization(a: SigV4Authorization): string {
  return (
    `${SIGV4_ALGORITHM} Credential=${formatCredential(a.credential)}, ` +
    `SignedHeaders=${a.signedHeaders.join(';')}, Signature=${a.signature}`
  );
}

/**
 * Whether an `Authorization` value belongs to the SigV4 family (`AWS4-…`), i.e. the S3 dialect's
 * verifier must answer it — also for the algorithms it then refuses.
 */
export function isSigV4Authorization(value: string): boolean {
  return value.trimStart().startsWith('AWS4-');
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** Reads a `SignedHeaders` list: lower-case names, strictly ascending, `host` among them. */
export function parseSignedHeaders(list: string, code: CosErrorCode): string[] {
  const names = list.split(';');
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!HEADER_NAME.test(name)) {
      throw new SigV4Error(
        code,
        `SignedHeaders "${list}" has an empty or invalid (or upper-case) header name.`,
      );
    }
    if (i > 0 && names[i - 1]! >= name) {
      throw new SigV4Error(code, `SignedHeaders "${list}" must be sorted and list each header once.`);
    }
  }
  if (!names.includes('host')) throw new SigV4Error(code, `SignedHeaders "${list}" must include host.`);
  return names;
}

/** Reads a signature value: 64 hex characters, returned lower-case. */
export function parseSignatureValue(value: string, code: CosErrorCode): string {
  if (!SIGNATURE.test(value)) throw new SigV4Error(code, 'The signature must be 64 hexadecimal characters.');
  return value.toLowerCase();
}

const FIELDS = ['Credential', 'SignedHeaders', 'Signature'] as const;

/**
 * Parses an `Authorization` header value of the SigV4 family. Fields are separated by `,` with optional
 * spaces; each of Credential, SignedHeaders and Signature must appear exactly once and nothing else may.
 * @throws SigV4Error `AuthorizationHeaderMalformed` on anything else, naming what is wrong.
 */
export function parseSigV4Authorization(value: string): SigV4Authorization {
  const code = 'AuthorizationHeaderMalformed';
  const text = value.trim();
  const space = text.indexOf(' ');
  const algorithm = space < 0 ? text : text.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new SigV4Error(
      code,
      `The authorization algorithm "${algorithm}" is not supported; use ${SIGV4_ALGORITHM}.`,
    );
  }
  if (space < 0)
    throw new SigV4Error(code, 'The authorization header has no Credential, SignedHeaders or Signature.');
  const found = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const field = part.trim();
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq);
    if (!(FIELDS as readonly string[]).includes(name) || eq < 0) {
      throw new SigV4Error(code, `The authorization header has an unknown or malformed field "${field}".`);
    }
    if (found.has(name)) throw new SigV4Error(code, `The authorization header repeats ${name}.`);
    found.set(name, field.slice(eq + 1));
  }
  for (const name of FIELDS) {
    if (!found.get(name)) throw new SigV4Error(code, `The authorization header is missing ${name}=.`);
  }
  return {
    credential: parseCredential(found.get('Credential')!, code),
    signedHeaders: parseSignedHeaders(found.get('SignedHeaders')!, code),
    signature: parseSignatureValue(found.get('Signature')!, code),
  };
}
