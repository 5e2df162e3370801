/**
 * The S3 checksums (`x-amz-checksum-<algorithm>`: base64 of the big-endian digest) that AWS SDKs send
 * with uploads by default, and a payload decoder that verifies one while the body streams.
 * All five are computed: CRC32, CRC32C, CRC64NVME (pure JS), SHA1 and SHA256 (`#sha1`/`#sha256`).
 */
import { createSha1 } from '#sha1';
import { createSha256 } from '#sha256';
import { SigV4Error } from '../signature/sigv4/error.js';
import type { PayloadDecoder } from '../signature/sigv4/payload-decoder.js';
import { createCrc32, createCrc32c } from './crc32.js';
import { createCrc64Nvme } from './crc64nvme.js';

/** Checksum algorithms S3 defines, lower-case as in their header names. */
export const AWS_CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type AwsChecksumAlgorithm = (typeof AWS_CHECKSUM_ALGORITHMS)[number];

/** `x-amz-checksum-<algorithm>`. */
export const checksumHeaderName = (algorithm: AwsChecksumAlgorithm): string => `x-amz-checksum-${algorithm}`;

/** The algorithm a `x-amz-checksum-*` header (or trailer) name names, if any. */
export function checksumAlgorithmOf(headerName: string): AwsChecksumAlgorithm | undefined {
  const name = headerName.toLowerCase();
  return AWS_CHECKSUM_ALGORITHMS.find((a) => checksumHeaderName(a) === name);
}

/** An incremental checksum whose result is the base64 the header carries. */
export interface AwsChecksum {
  update(bytes: Uint8Array): void;
  base64(): string;
}

const base64OfBytes = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const base64OfUint32 = (v: number): string =>
  base64OfBytes(new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]));
const hexToBytes = (hex: string): Uint8Array =>
  new Uint8Array(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));

/**
 * Starts an incremental `algorithm` checksum (memory: one hash state), or undefined for an algorithm
 * this build does not compute (all five are computed today).
 */
export function createAwsChecksum(algorithm: AwsChecksumAlgorithm): AwsChecksum | undefined {
  switch (algorithm) {
    case 'crc32':
    case 'crc32c': {
      const crc = algorithm === 'crc32' ? createCrc32() : createCrc32c();
      return { update: (b) => crc.update(b), base64: () => base64OfUint32(crc.value()) };
    }
    case 'sha256':
    case 'sha1': {
      const hash = algorithm === 'sha256' ? createSha256() : createSha1();
      return { update: (b) => hash.update(b), base64: () => base64OfBytes(hexToBytes(hash.digestHex())) };
    }
    case 'crc64nvme': {
      const crc = createCrc64Nvme();
      return { update: (b) => crc.update(b), base64: () => base64OfBytes(crc.digest()) };
    }
    default:
      return undefined;
  }
}

/** The base64 value of `algorithm` over `data`, or undefined for an algorithm we do not compute. */
export function awsChecksumOf(algorithm: AwsChecksumAlgorithm, data: Uint8Array): string | undefined {
  const c = createAwsChecksum(algorithm);
  if (!c) return undefined;
  c.update(data);
  return c.base64();
}

/** Where the expected value comes from: a request header, or a trailer of the aws-chunked body. */
export type ExpectedChecksum =
  | { readonly algorithm: AwsChecksumAlgorithm; readonly value: string }
  | { readonly algorithm: AwsChecksumAlgorithm; readonly trailer: true };

/**
 * Wraps a payload decoder so that the payload it yields is checksummed and compared at the end with
 * the expected value (`400 BadDigest` on a mismatch, as S3 answers); `onVerified` then receives the
 * verified base64 value (a trailer's is only known at the end). Memory: one checksum state.
 */
export function verifyingChecksum(
  inner: PayloadDecoder,
  expected: ExpectedChecksum,
  onVerified?: (base64: string) => void,
): PayloadDecoder {
  const checksum = createAwsChecksum(expected.algorithm);
  if (!checksum) return inner;
  return {
    push(bytes) {
      const out = inner.push(bytes);
      for (const piece of out) checksum.update(piece);
      return out;
    },
    end() {
      const trailers = inner.end();
      const claimed =
        'value' in expected ? expected.value : trailers.get(checksumHeaderName(expected.algorithm));
      const actual = checksum.base64();
      if (claimed === undefined) {
        throw new SigV4Error(
          'MalformedTrailerError',
          `The trailer ${checksumHeaderName(expected.algorithm)} did not arrive.`,
        );
      }
      if (claimed !== actual) {
        throw new SigV4Error(
          'BadDigest',
          `The ${expected.algorithm.toUpperCase()} you specified (${claimed}) did not match the calculated checksum (${actual}).`,
        );
      }
      onVerified?.(actual);
      return trailers;
    },
  };
}

/**
 * The checksum a request declares: an `x-amz-checksum-<algorithm>` header, or one announced as a
 * trailer of its aws-chunked body (`x-amz-trailer`).
 * @param header - Request header lookup by lower-case name.
 * @param trailerNames - Lower-case names from `x-amz-trailer` (empty without one).
 * @throws SigV4Error `InvalidRequest` when more than one checksum is declared.
 */
export function declaredChecksum(
  header: (lowerName: string) => string | undefined,
  trailerNames: readonly string[],
): ExpectedChecksum | undefined {
  const declared: ExpectedChecksum[] = [];
  for (const algorithm of AWS_CHECKSUM_ALGORITHMS) {
    const value = header(checksumHeaderName(algorithm));
    if (value !== undefined) declared.push({ algorithm, value: value.trim() });
    if (trailerNames.includes(checksumHeaderName(algorithm))) declared.push({ algorithm, trailer: true });
  }
  if (declared.length > 1) {
    throw new SigV4Error(
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header (or trailer); several were sent.',
    );
  }
  return declared[0];
}
