/**
 * The HMAC steps of SigV4: the signing key derived from the secret for one day, region and service, the
 * strings to sign (request, aws-chunked chunk, trailer) and the signature over them.
 *
 * `#sha256` is Node's native crypto under Node and `@noble/hashes` elsewhere (package.json `imports`).
 */
import { hmacSha256, hmacSha256Hex, sha256Hex } from '#sha256';
import { EMPTY_SHA256, SIGV4_ALGORITHM, SIGV4_SCOPE_TERMINATOR } from './names.js';
import type { SigV4Credential } from './scope.js';

/**
 * `kSigning` = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"): 32 bytes.
 * Valid for every request of that day, region and service.
 */
export function deriveSigningKey(
  secretAccessKey: string,
  scope: Pick<SigV4Credential, 'date' | 'region' | 'service'>,
): Uint8Array {
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmacSha256(kDate, scope.region);
  const kService = hmacSha256(kRegion, scope.service);
  return hmacSha256(kService, SIGV4_SCOPE_TERMINATOR);
}

/** The 64-hex-character signature of `stringToSign` under a signing key. */
export function signatureOf(signingKey: Uint8Array, stringToSign: string): string {
  return hmacSha256Hex(signingKey, stringToSign);
}

/** `AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256(canonical request)>`. */
export function requestStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * The string to sign of one aws-chunked chunk: chained to the previous chunk's signature (the seed
 * signature of the request for the first chunk), so chunks cannot be dropped, reordered or replayed.
 * @param chunkSha256 - Hex SHA-256 of the chunk's data (of nothing for the final, empty chunk).
 */
export function chunkStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  chunkSha256: string,
): string {
  return `${SIGV4_ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256}`;
}

/**
 * The string to sign of the trailing headers of a signed aws-chunked body, chained to the final chunk's
 * signature.
 * @param trailerSha256 - Hex SHA-256 of the trailers as `name:value\n` lines, in the order sent.
 */
export function trailerStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  trailerSha256: string,
): string {
  return `${SIGV4_ALGORITHM}-TRAILER\n${amzDate}\n${scope}\n${previousSignature}\n${trailerSha256}`;
}
