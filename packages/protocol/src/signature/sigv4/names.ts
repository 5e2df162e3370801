/**
 * The names AWS Signature Version 4 puts on the wire, as S3 spells them: the algorithm, the headers and
 * query parameters it reads, and the values `x-amz-content-sha256` may take besides a real hash.
 * Source: the S3 API reference, "Authenticating Requests (AWS Signature Version 4)".
 */

/** The one algorithm we sign and accept (`AWS4-ECDSA-P256-SHA256`, SigV4a, is refused). */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** Last element of every credential scope. */
export const SIGV4_SCOPE_TERMINATOR = 'aws4_request';
/** The service name S3 (and COS's S3 endpoint) signs for. */
export const S3_SERVICE = 's3';

/** Request headers of the scheme, lower-case as the server looks them up. */
export const SIGV4_HEADERS = {
  authorization: 'authorization',
  date: 'x-amz-date',
  contentSha256: 'x-amz-content-sha256',
  securityToken: 'x-amz-security-token',
  decodedContentLength: 'x-amz-decoded-content-length',
  trailer: 'x-amz-trailer',
  host: 'host',
} as const;

/** Query parameters of a pre-signed URL, spelled as AWS signs them. */
export const SIGV4_QUERY = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  securityToken: 'X-Amz-Security-Token',
  contentSha256: 'X-Amz-Content-Sha256',
} as const;

/** `x-amz-content-sha256` values that are not a hash of the body. */
export const PAYLOAD_MARKERS = {
  /** The body is not covered by the signature. */
  unsigned: 'UNSIGNED-PAYLOAD',
  /** aws-chunked body, each chunk signed, chained from the seed signature. */
  streamingSigned: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  /** As `streamingSigned`, then trailing headers signed with `x-amz-trailer-signature`. */
  streamingSignedTrailer: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  /** aws-chunked body without signatures, then trailing checksum headers (current SDKs' default). */
  streamingUnsignedTrailer: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
} as const;

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Headers a signer leaves out of the signature (the AWS SDKs' list): proxies and clients change them
 * in transit. A verifier signs whatever the client listed, these included.
 */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
