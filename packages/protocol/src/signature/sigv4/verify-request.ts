/**
 * Server side of SigV4: everything about a request's signature that can be decided from its head —
 * the header or pre-signed form, the credential scope (region, service, day), the clock, the rule that
 * every `x-amz-*` header is signed, the signature itself and the session token — and how its body must
 * then be read (see payload-decoder.ts).
 */
import { REQUEST_EXPIRED_MESSAGE } from '../../errors.js';
import { LIMITS } from '../../limits.js';
import { decodeComponent } from '../../url-encoding.js';
import type { Pair } from '../canonical.js';
import { constantTimeEqual } from '../keys.js';
import {
  isSigV4Authorization,
  parseSigV4Authorization,
  type SigV4Authorization,
} from './authorization-header.js';
import type { ChunkSigning } from './aws-chunked-decoder.js';
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri } from './canonical-request.js';
import { SigV4Error } from './error.js';
import { PAYLOAD_MARKERS, S3_SERVICE, SIGV4_HEADERS, SIGV4_QUERY } from './names.js';
import { type PayloadMode, readPayloadMode } from './payload.js';
import { hasSigV4Query, isSigV4SignatureParam, readSigV4Query } from './presigned-query.js';
import { credentialScope, formatAmzDate, parseAmzDate, type SigV4Credential } from './scope.js';
import { deriveSigningKey, requestStringToSign, signatureOf } from './signing-key.js';

/** The request as the server received it. */
export interface SigV4Request {
  /** Upper-case method. */
  readonly method: string;
  /** The path exactly as on the request line (percent-encoded), without the query. */
  readonly rawPath: string;
  /** Decoded query pairs in order, duplicates kept (`parseQuery`). */
  readonly query: readonly Pair[];
  /** Every header: lower-case name → its values in arrival order (Node's `headersDistinct`). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

/** What the server knows about an access key. */
export interface SigV4Secret {
  readonly secretAccessKey: string;
  /** Set for temporary keys: the request must carry this `x-amz-security-token`. */
  readonly sessionToken?: string;
}

/** The server's side of the check. */
export interface SigV4VerifyOptions {
  /** Server clock, milliseconds. */
  readonly nowMs: number;
  /** The region this endpoint answers for; a scope naming another is refused. */
  readonly region: string;
  /** The service of the scope. Default `s3`. */
  readonly service?: string;
  /** Looks up a key; undefined for an unknown one. */
  readonly secretFor: (accessKeyId: string) => SigV4Secret | undefined;
  /** Allowed clock difference, seconds. Default `LIMITS.maxClockSkewSeconds` (15 minutes). */
  readonly maxSkewSeconds?: number;
}

/** A request whose head passed every check. */
export interface VerifiedSigV4 {
  readonly form: 'header' | 'query';
  readonly credential: SigV4Credential;
  /** What the body's chunks (if any) are checked against; `seedSignature` is the request's signature. */
  readonly signing: ChunkSigning;
  /** How to read the body: `openPayload(verified.payload, verified.signing)`. */
  readonly payload: PayloadMode;
  /** The headers the signature covers (lower-case, sorted). */
  readonly signedHeaders: readonly string[];
}

/** Whether a request is signed with SigV4 at all (header or pre-signed form), i.e. the S3 dialect. */
export function isSigV4Request(req: Pick<SigV4Request, 'headers' | 'query'>): boolean {
  const auth = req.headers.get(SIGV4_HEADERS.authorization);
  return auth?.some(isSigV4Authorization) === true || hasSigV4Query(req.query);
}

function single(req: SigV4Request, name: string): string | undefined {
  const values = req.headers.get(name);
  if (values && values.length > 1) throw new SigV4Error('InvalidRequest', `The header ${name} is repeated.`);
  return values?.[0];
}

interface Located extends SigV4Authorization {
  readonly form: 'header' | 'query';
  readonly amzDate: string;
  readonly expiresSeconds?: number;
  readonly token: string | undefined;
  readonly contentSha256: string | undefined;
}

/** Finds the signature (header or query) and the request time it was made at. */
function locate(req: SigV4Request): Located {
  const authValues = req.headers.get(SIGV4_HEADERS.authorization);
  if (authValues !== undefined) {
    if (authValues.length > 1)
      throw new SigV4Error('AuthorizationHeaderMalformed', 'Authorization is repeated.');
    if (req.query.some(([n]) => n === SIGV4_QUERY.signature || n === SIGV4_QUERY.credential)) {
      throw new SigV4Error(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
      );
    }
    const auth = parseSigV4Authorization(authValues[0]!);
    const amzDate = single(req, SIGV4_HEADERS.date);
    let date = amzDate;
    if (date === undefined) {
      // AWS accepts a signed `Date` header in place of x-amz-date.
      const http = single(req, 'date');
      const ms = http === undefined ? Number.NaN : Date.parse(http);
      if (Number.isNaN(ms) || !auth.signedHeaders.includes('date')) {
        throw new SigV4Error(
          'AccessDenied',
          'AWS authentication requires a valid, signed Date or x-amz-date header.',
        );
      }
      date = formatAmzDate(ms);
    } else if (parseAmzDate(date) === undefined) {
      throw new SigV4Error('AccessDenied', `x-amz-date "${date}" is not YYYYMMDDTHHMMSSZ.`);
    }
    const contentSha256 = single(req, SIGV4_HEADERS.contentSha256);
    if (contentSha256 === undefined) {
      throw new SigV4Error(
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256.',
      );
    }
    return {
      ...auth,
      form: 'header',
      amzDate: date,
      token: single(req, SIGV4_HEADERS.securityToken),
      contentSha256,
    };
  }
  const fields = readSigV4Query(req.query);
  return {
    ...fields,
    form: 'query',
    token: fields.securityToken,
    contentSha256: fields.contentSha256 ?? single(req, SIGV4_HEADERS.contentSha256),
  };
}

/**
 * Verifies the head of a SigV4 request.
 * @throws SigV4Error with the S3 code: `AuthorizationHeaderMalformed` / `AuthorizationQueryParametersError`
 *   (malformed, wrong region, service or day), `AccessDenied` (unsigned `x-amz-*` headers, a pre-signed
 *   URL expired or not yet valid, no usable date), `RequestTimeTooSkewed`, `InvalidAccessKeyId`,
 *   `SignatureDoesNotMatch` (with the canonical request and string to sign), `InvalidToken`,
 *   `InvalidRequest` / `InvalidArgument` (missing or bad `x-amz-content-sha256`).
 */
export function verifySigV4Request(req: SigV4Request, options: SigV4VerifyOptions): VerifiedSigV4 {
  const located = locate(req);
  const { credential, form, amzDate } = located;
  const malformed = form === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError';
  if (credential.date !== amzDate.slice(0, 8)) {
    throw new SigV4Error(
      malformed,
      `Invalid credential date "${credential.date}": it is not the date of the request time ${amzDate}.`,
    );
  }
  if (credential.region !== options.region) {
    throw new SigV4Error(
      malformed,
      `The region '${credential.region}' is wrong; expecting '${options.region}'.`,
      { Region: options.region },
    );
  }
  const service = options.service ?? S3_SERVICE;
  if (credential.service !== service) {
    throw new SigV4Error(malformed, `The service '${credential.service}' is wrong; expecting '${service}'.`);
  }

  const requestMs = parseAmzDate(amzDate)!;
  const skewMs = (options.maxSkewSeconds ?? LIMITS.maxClockSkewSeconds) * 1000;
  if (form === 'header') {
    if (Math.abs(requestMs - options.nowMs) > skewMs) {
      throw new SigV4Error(
        'RequestTimeTooSkewed',
        `The request time ${amzDate} and the server time ${formatAmzDate(options.nowMs)} differ by more than ${skewMs / 1000} s.`,
      );
    }
  } else {
    if (requestMs - options.nowMs > skewMs) throw new SigV4Error('AccessDenied', 'Request is not valid yet');
    if (options.nowMs > requestMs + located.expiresSeconds! * 1000) {
      throw new SigV4Error('AccessDenied', REQUEST_EXPIRED_MESSAGE);
    }
  }

  const secret = options.secretFor(credential.accessKeyId);
  if (!secret) {
    throw new SigV4Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: credential.accessKeyId,
      },
    );
  }

  const unsigned = [...req.headers.keys()].filter(
    (name) => name.startsWith('x-amz-') && !located.signedHeaders.includes(name),
  );
  if (unsigned.length > 0) {
    throw new SigV4Error('AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: unsigned.join(', '),
    });
  }

  const payloadHash = located.contentSha256 ?? PAYLOAD_MARKERS.unsigned;
  const payload = readPayloadMode(
    payloadHash,
    single(req, SIGV4_HEADERS.decodedContentLength),
    single(req, SIGV4_HEADERS.trailer),
  );

  const scope = credentialScope(credential);
  const signingKey = deriveSigningKey(secret.secretAccessKey, credential);
  const query = canonicalQuery(req.query, form === 'query' ? isSigV4SignatureParam : undefined);
  const headers = canonicalHeaders(located.signedHeaders, (name) => req.headers.get(name));
  // The strict re-encoding of the decoded path is what AWS SDKs sign; the path as sent covers clients
  // that leave a reserved character (`!`, `*`, `'`, …) unencoded and sign it that way.
  const decoded = decodeComponent(req.rawPath);
  const uris = [...new Set([...(decoded === undefined ? [] : [canonicalUri(decoded)]), req.rawPath])];
  let mismatch: { canonical: string; toSign: string } | undefined;
  for (const uri of uris) {
    const canonical = canonicalRequest({
      method: req.method,
      uri,
      query,
      headers,
      signedHeaders: located.signedHeaders,
      payloadHash,
    });
    const toSign = requestStringToSign(amzDate, scope, canonical);
    if (constantTimeEqual(signatureOf(signingKey, toSign), located.signature)) {
      mismatch = undefined;
      break;
    }
    mismatch ??= { canonical, toSign };
  }
  if (mismatch) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: credential.accessKeyId,
        StringToSign: mismatch.toSign,
        SignatureProvided: located.signature,
        CanonicalRequest: mismatch.canonical,
      },
    );
  }

  if (located.token !== secret.sessionToken) {
    throw new SigV4Error(
      'InvalidToken',
      secret.sessionToken === undefined
        ? 'This access key is not temporary: send no x-amz-security-token.'
        : 'Temporary keys need their x-amz-security-token, and it does not match.',
    );
  }
  return {
    form,
    credential,
    signing: { signingKey, amzDate, scope, seedSignature: located.signature },
    payload,
    signedHeaders: located.signedHeaders,
  };
}
