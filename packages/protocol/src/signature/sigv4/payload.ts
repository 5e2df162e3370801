/**
 * What `x-amz-content-sha256` says about the body: its real SHA-256 (checked while it streams), not
 * signed at all, or an aws-chunked body with per-chunk signatures and/or trailing checksum headers.
 */
import { SigV4Error } from './error.js';
import { PAYLOAD_MARKERS } from './names.js';

/** How the body of a verified request is to be read. */
export type PayloadMode =
  /** The body's SHA-256 must equal `sha256` (lower-case hex), or `XAmzContentSHA256Mismatch`. */
  | { readonly kind: 'sha256'; readonly sha256: string }
  /** `UNSIGNED-PAYLOAD`: the body is taken as it comes. */
  | { readonly kind: 'unsigned' }
  /** An aws-chunked body (see aws-chunked-decoder.ts). */
  | {
      readonly kind: 'aws-chunked';
      /** Each chunk carries a signature chained from the request's (seed) signature. */
      readonly signedChunks: boolean;
      /** Trailing headers after the last chunk: none, plain, or signed (`x-amz-trailer-signature`). */
      readonly trailer: 'none' | 'unsigned' | 'signed';
      /** `x-amz-trailer`: the lower-case names of the trailing headers announced, in order. */
      readonly trailerNames: readonly string[];
      /** `x-amz-decoded-content-length`: the payload's length once the chunk framing is removed. */
      readonly decodedLength: number;
    };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Classifies the payload of a request.
 * @param contentSha256 - The `x-amz-content-sha256` value (header, or `X-Amz-Content-Sha256` of a
 *   pre-signed URL); a pre-signed URL without one passes `UNSIGNED-PAYLOAD`.
 * @param decodedLength - `x-amz-decoded-content-length`, needed by the aws-chunked forms.
 * @param trailerHeader - `x-amz-trailer`, the trailing headers an aws-chunked body announces.
 * @throws SigV4Error `InvalidArgument` for a value that is neither a hash nor a known marker,
 *   `NotImplemented` for SigV4a and event streams, `MissingContentLength` / `InvalidArgument` for a
 *   missing or bad decoded length, `InvalidRequest` for trailers announced where none can follow.
 */
export function readPayloadMode(
  contentSha256: string,
  decodedLength: string | undefined,
  trailerHeader: string | undefined,
): PayloadMode {
  if (HEX64.test(contentSha256)) return { kind: 'sha256', sha256: contentSha256 };
  if (contentSha256 === PAYLOAD_MARKERS.unsigned) return { kind: 'unsigned' };
  const chunked = {
    [PAYLOAD_MARKERS.streamingSigned]: { signedChunks: true, trailer: 'none' },
    [PAYLOAD_MARKERS.streamingSignedTrailer]: { signedChunks: true, trailer: 'signed' },
    [PAYLOAD_MARKERS.streamingUnsignedTrailer]: { signedChunks: false, trailer: 'unsigned' },
  } as const;
  const form = Object.hasOwn(chunked, contentSha256)
    ? chunked[contentSha256 as keyof typeof chunked]
    : undefined;
  if (!form) {
    if (contentSha256.startsWith('STREAMING-')) {
      throw new SigV4Error('NotImplemented', `x-amz-content-sha256 "${contentSha256}" is not supported.`);
    }
    throw new SigV4Error(
      'InvalidArgument',
      `x-amz-content-sha256 must be the body's lower-case hex SHA-256, ${PAYLOAD_MARKERS.unsigned} or a STREAMING- form; got "${contentSha256}".`,
    );
  }
  if (decodedLength === undefined) {
    throw new SigV4Error('MissingContentLength', `${contentSha256} needs x-amz-decoded-content-length.`);
  }
  if (!/^\d{1,16}$/.test(decodedLength) || !Number.isSafeInteger(Number(decodedLength))) {
    throw new SigV4Error(
      'InvalidArgument',
      `x-amz-decoded-content-length "${decodedLength}" is not a byte count.`,
    );
  }
  const trailerNames = (trailerHeader ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  if (form.trailer === 'none' && trailerNames.length > 0) {
    throw new SigV4Error(
      'InvalidRequest',
      `x-amz-trailer is announced but ${contentSha256} carries no trailer.`,
    );
  }
  if (
    new Set(trailerNames).size !== trailerNames.length ||
    trailerNames.some((n) => n === 'x-amz-trailer-signature')
  ) {
    throw new SigV4Error(
      'InvalidRequest',
      `x-amz-trailer "${trailerHeader}" repeats a name or names the signature.`,
    );
  }
  return { kind: 'aws-chunked', ...form, trailerNames, decodedLength: Number(decodedLength) };
}
