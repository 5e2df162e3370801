/**
 * Client side of SigV4: the `Authorization` header of a request, or a pre-signed URL's query. The same
 * code builds our tests' requests and would serve a client of the S3 dialect.
 */
import { encodeRfc3986 } from '../../url-encoding.js';
import type { Pair } from '../canonical.js';
import type { SignValue } from '../sign.js';
import { formatSigV4Authorization } from './authorization-header.js';
import type { ChunkSigning } from './aws-chunked-decoder.js';
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri } from './canonical-request.js';
import {
  PAYLOAD_MARKERS,
  S3_SERVICE,
  SIGV4_ALGORITHM,
  SIGV4_HEADERS,
  SIGV4_QUERY,
  UNSIGNABLE_HEADERS,
} from './names.js';
import { credentialScope, formatAmzDate, formatCredential, type SigV4Credential } from './scope.js';
import { deriveSigningKey, requestStringToSign, signatureOf } from './signing-key.js';

/** What to sign. */
export interface SigV4SignInput {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** For temporary keys: sent as `x-amz-security-token` (header form) or `X-Amz-Security-Token`. */
  readonly sessionToken?: string;
  readonly region: string;
  /** Default `s3`. */
  readonly service?: string;
  /** HTTP method, upper-case. */
  readonly method: string;
  /** Decoded path with its leading `/` (`/bucket/my key` for path style); encoded once when signed. */
  readonly pathname: string;
  /** Query parameters sent with the request (decoded). */
  readonly query?: Readonly<Record<string, SignValue>> | Iterable<Pair>;
  /** Headers to send, `host` included; all but the unsignable ones (`UNSIGNABLE_HEADERS`) are signed. */
  readonly headers: Readonly<Record<string, SignValue>>;
  /**
   * `x-amz-content-sha256`: the body's hex SHA-256 or a marker (`UNSIGNED-PAYLOAD`, a STREAMING- form).
   * Default `UNSIGNED-PAYLOAD`. A pre-signed URL carries it as `X-Amz-Content-Sha256` only when given.
   */
  readonly payloadHash?: string;
  /** Signing time, milliseconds. Default `Date.now()`. */
  readonly nowMs?: number;
}

/** A signed request, with what was computed on the way (tests compare it with AWS's published values). */
export interface SigV4Signed {
  /** The headers to send: the input's plus `x-amz-date`, `x-amz-content-sha256`, the token, Authorization. */
  readonly headers: Record<string, string>;
  readonly authorization: string;
  readonly signature: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  /** What an aws-chunked body's chunks are signed with (see `encodeAwsChunked`). */
  readonly signing: ChunkSigning;
}

function pairsOf(source: SigV4SignInput['query'] | SigV4SignInput['headers']): Pair[] {
  if (!source) return [];
  const entries: Iterable<readonly [string, SignValue]> =
    Symbol.iterator in source ? (source as Iterable<Pair>) : Object.entries(source);
  const pairs: Pair[] = [];
  for (const [name, value] of entries) {
    if (value !== undefined && value !== null) pairs.push([name, String(value)]);
  }
  return pairs;
}

function credentialOf(input: SigV4SignInput, amzDate: string): SigV4Credential {
  return {
    accessKeyId: input.accessKeyId,
    date: amzDate.slice(0, 8),
    region: input.region,
    service: input.service ?? S3_SERVICE,
  };
}

/** Lower-case name → values of the signable headers; throws when `host` is missing. */
function signableHeaders(headers: readonly Pair[]): Map<string, string[]> {
  const signable = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (UNSIGNABLE_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) continue;
    signable.set(lower, [...(signable.get(lower) ?? []), value]);
  }
  if (!signable.has(SIGV4_HEADERS.host)) throw new Error('signSigV4Request: the headers must include Host');
  return signable;
}

/** Signs a request in the header form. */
export function signSigV4Request(input: SigV4SignInput): SigV4Signed {
  const amzDate = formatAmzDate(input.nowMs ?? Date.now());
  const credential = credentialOf(input, amzDate);
  const payloadHash = input.payloadHash ?? PAYLOAD_MARKERS.unsigned;
  const sent: Pair[] = pairsOf(input.headers).filter(
    ([n]) => n.toLowerCase() !== SIGV4_HEADERS.authorization,
  );
  sent.push([SIGV4_HEADERS.date, amzDate], [SIGV4_HEADERS.contentSha256, payloadHash]);
  if (input.sessionToken !== undefined) sent.push([SIGV4_HEADERS.securityToken, input.sessionToken]);
  const signable = signableHeaders(sent);
  const signedHeaders = [...signable.keys()].sort();
  const canonical = canonicalRequest({
    method: input.method,
    uri: canonicalUri(input.pathname),
    query: canonicalQuery(pairsOf(input.query)),
    headers: canonicalHeaders(signedHeaders, (n) => signable.get(n)),
    signedHeaders,
    payloadHash,
  });
  const scope = credentialScope(credential);
  const toSign = requestStringToSign(amzDate, scope, canonical);
  const signingKey = deriveSigningKey(input.secretAccessKey, credential);
  const signature = signatureOf(signingKey, toSign);
  const authorization = formatSigV4Authorization({ credential, signedHeaders, signature });
  return {
    headers: { ...Object.fromEntries(sent), authorization },
    authorization,
    signature,
    canonicalRequest: canonical,
    stringToSign: toSign,
    signing: { signingKey, amzDate, scope, seedSignature: signature },
  };
}

/** A pre-signed URL's query. */
export interface SigV4Presigned {
  /** Every parameter of the URL — the request's own and the `X-Amz-*` ones — decoded. */
  readonly query: Pair[];
  /** The same, percent-encoded and joined: what follows `?`. */
  readonly queryString: string;
  readonly signature: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/**
 * Pre-signs a request: the signature travels in the query, valid for `expiresSeconds` from signing.
 * Only the headers given (normally just `host`) are signed; the body is not, unless `payloadHash` is set.
 */
export function presignSigV4(input: SigV4SignInput & { readonly expiresSeconds: number }): SigV4Presigned {
  const amzDate = formatAmzDate(input.nowMs ?? Date.now());
  const credential = credentialOf(input, amzDate);
  const signable = signableHeaders(pairsOf(input.headers));
  const signedHeaders = [...signable.keys()].sort();
  const query: Pair[] = pairsOf(input.query);
  query.push(
    [SIGV4_QUERY.algorithm, SIGV4_ALGORITHM],
    [SIGV4_QUERY.credential, formatCredential(credential)],
    [SIGV4_QUERY.date, amzDate],
    [SIGV4_QUERY.expires, String(input.expiresSeconds)],
    [SIGV4_QUERY.signedHeaders, signedHeaders.join(';')],
  );
  if (input.sessionToken !== undefined) query.push([SIGV4_QUERY.securityToken, input.sessionToken]);
  if (input.payloadHash !== undefined) query.push([SIGV4_QUERY.contentSha256, input.payloadHash]);
  const canonical = canonicalRequest({
    method: input.method,
    uri: canonicalUri(input.pathname),
    query: canonicalQuery(query),
    headers: canonicalHeaders(signedHeaders, (n) => signable.get(n)),
    signedHeaders,
    payloadHash: input.payloadHash ?? PAYLOAD_MARKERS.unsigned,
  });
  const toSign = requestStringToSign(amzDate, credentialScope(credential), canonical);
  const signature = signatureOf(deriveSigningKey(input.secretAccessKey, credential), toSign);
  query.push([SIGV4_QUERY.signature, signature]);
  return {
    query,
    queryString: query.map(([n, v]) => `${encodeRfc3986(n)}=${encodeRfc3986(v)}`).join('&'),
    signature,
    canonicalRequest: canonical,
    stringToSign: toSign,
  };
}
