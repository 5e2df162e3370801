/**
 * The contract every SigV4 body reader meets, whatever the payload form: bytes of the HTTP body in,
 * bytes of the object out, checks on the way, a verdict at the end. A server streams the output to its
 * store and commits only after {@link PayloadDecoder.end} returns, so a body that fails any check —
 * a wrong hash, a forged chunk, a short body — stores nothing.
 */
import { createSha256, type Sha256Hash } from '#sha256';
import { AwsChunkedDecoder, type ChunkSigning } from './aws-chunked-decoder.js';
import { SigV4Error } from './error.js';
import type { PayloadMode } from './payload.js';

/** Reads one request body incrementally. Memory: bounded by the form (a hash state, a header line). */
export interface PayloadDecoder {
  /**
   * Feeds the next bytes of the HTTP body as received.
   * @returns The payload bytes they carry, as views into `bytes` (no copy); possibly none.
   * @throws SigV4Error as soon as a check fails. Bytes returned earlier may belong to the failing
   *   chunk: they were not yet proven, so nothing may be committed before `end()`.
   */
  push(bytes: Uint8Array): Uint8Array[];
  /**
   * Declares the body complete.
   * @returns Trailing headers (lower-case names), empty unless the form carries them.
   * @throws SigV4Error if the body is incomplete or fails its final check.
   */
  end(): ReadonlyMap<string, string>;
}

/** A plain body whose SHA-256 the signature covers: passes bytes through, compares the hash at the end. */
export class Sha256PayloadDecoder implements PayloadDecoder {
  readonly #expected: string;
  readonly #hash: Sha256Hash = createSha256();

  /** @param expectedSha256 - Lower-case hex from `x-amz-content-sha256`. */
  constructor(expectedSha256: string) {
    this.#expected = expectedSha256;
  }

  push(bytes: Uint8Array): Uint8Array[] {
    this.#hash.update(bytes);
    return [bytes];
  }

  end(): ReadonlyMap<string, string> {
    const actual = this.#hash.digestHex();
    if (actual !== this.#expected) {
      throw new SigV4Error(
        'XAmzContentSHA256Mismatch',
        `The body's SHA-256 is ${actual}; x-amz-content-sha256 says ${this.#expected}.`,
      );
    }
    return new Map();
  }
}

/** `UNSIGNED-PAYLOAD`: bytes pass through unchecked (length and Content-MD5 are the store's business). */
export class UnsignedPayloadDecoder implements PayloadDecoder {
  push(bytes: Uint8Array): Uint8Array[] {
    return [bytes];
  }

  end(): ReadonlyMap<string, string> {
    return new Map();
  }
}

/**
 * The decoder for a verified request's body.
 * @param mode - From `readPayloadMode` (carried by `verifySigV4Request`'s result).
 * @param signing - The request's signing context; needed when chunks are signed.
 */
export function openPayload(mode: PayloadMode, signing: ChunkSigning): PayloadDecoder {
  switch (mode.kind) {
    case 'sha256':
      return new Sha256PayloadDecoder(mode.sha256);
    case 'unsigned':
      return new UnsignedPayloadDecoder();
    case 'aws-chunked':
      return new AwsChunkedDecoder({
        signing: mode.signedChunks ? signing : undefined,
        trailer: mode.trailer,
        trailerNames: mode.trailerNames,
        decodedLength: mode.decodedLength,
      });
  }
}
