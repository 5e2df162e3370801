/**
 * The checksum S3 keeps for a multipart object, chosen at CreateMultipartUpload
 * (`x-amz-checksum-algorithm`, `x-amz-checksum-type`) and computed at CompleteMultipartUpload from the
 * parts' checksums, without reading a byte of the object:
 *
 * - `COMPOSITE`: the algorithm over the concatenated binary part checksums, in part order, then
 *   `-<number of parts>` (`base64-3`): a checksum of checksums, which depends on the part sizes;
 * - `FULL_OBJECT` (CRC-32, CRC-32C, CRC-64/NVME only): the CRC of the whole object, combined from the
 *   part CRCs and sizes (`ReflectedCrcCombiner`), equal to a CRC computed over the bytes.
 *
 * Which algorithm allows which type is S3's table: CRC-64/NVME only full-object, SHA-1/SHA-256 only
 * composite, the CRC-32s both (composite by default).
 */
import { base64ToBytes, bytesToBase64 } from '../base64.js';
import { ReflectedCrcCombiner } from '../crc64/combine.js';
import {
  AWS_CHECKSUM_ALGORITHMS,
  type AwsChecksumAlgorithm,
  awsChecksumOf,
  checksumHeaderName,
} from './aws-checksum.js';

/** How a multipart object's checksum is made from its parts' (`x-amz-checksum-type`). */
export const AWS_CHECKSUM_TYPES = ['COMPOSITE', 'FULL_OBJECT'] as const;
export type AwsChecksumType = (typeof AWS_CHECKSUM_TYPES)[number];

/** The checksum types S3 allows with each algorithm, the default first. */
const TYPES_OF: Record<AwsChecksumAlgorithm, readonly AwsChecksumType[]> = {
  crc32: ['COMPOSITE', 'FULL_OBJECT'],
  crc32c: ['COMPOSITE', 'FULL_OBJECT'],
  crc64nvme: ['FULL_OBJECT'],
  sha1: ['COMPOSITE'],
  sha256: ['COMPOSITE'],
};

/** Digest length in bytes of each algorithm (what a valid base64 value decodes to). */
const DIGEST_BYTES: Record<AwsChecksumAlgorithm, number> = {
  crc32: 4,
  crc32c: 4,
  crc64nvme: 8,
  sha1: 20,
  sha256: 32,
};

/** The checksum types `algorithm` allows (S3's table), its default first. */
export function checksumTypesOf(algorithm: AwsChecksumAlgorithm): readonly AwsChecksumType[] {
  return TYPES_OF[algorithm];
}

/** S3's type when CreateMultipartUpload names only the algorithm: FULL_OBJECT for CRC64NVME, else COMPOSITE. */
export function defaultChecksumType(algorithm: AwsChecksumAlgorithm): AwsChecksumType {
  return TYPES_OF[algorithm][0]!;
}

/** The XML element S3 carries a checksum in: `ChecksumCRC32`, `ChecksumCRC64NVME`, `ChecksumSHA256`, … */
export const checksumElementName = (algorithm: AwsChecksumAlgorithm): string =>
  `Checksum${algorithm.toUpperCase()}`;

/** An `x-amz-checksum-algorithm` value (any case) as an algorithm, or undefined for one S3 does not define. */
export function parseChecksumAlgorithm(raw: string): AwsChecksumAlgorithm | undefined {
  const lower = raw.trim().toLowerCase();
  return AWS_CHECKSUM_ALGORITHMS.find((a) => a === lower);
}

/** An `x-amz-checksum-type` value (any case), or undefined for another word. */
export function parseChecksumType(raw: string): AwsChecksumType | undefined {
  const upper = raw.trim().toUpperCase();
  return AWS_CHECKSUM_TYPES.find((t) => t === upper);
}

/**
 * The digest bytes a checksum value stands for, or undefined when `base64` is not the canonical
 * base64 of a digest of the algorithm's length (S3 refuses such a value).
 */
export function checksumDigest(algorithm: AwsChecksumAlgorithm, base64: string): Uint8Array | undefined {
  const bytes = base64ToBytes(base64);
  return bytes?.length === DIGEST_BYTES[algorithm] ? bytes : undefined;
}

/**
 * A COMPOSITE object checksum: `algorithm` over the parts' digests concatenated in order, base64,
 * then `-<parts>`. Memory: the concatenated digests (≤ 32 bytes a part).
 * @param partValues - Each part's base64 checksum of `algorithm`, in part order (at least one).
 * @throws RangeError when a value is not a valid checksum of `algorithm`.
 */
export function compositeChecksum(algorithm: AwsChecksumAlgorithm, partValues: readonly string[]): string {
  const size = DIGEST_BYTES[algorithm];
  const joined = new Uint8Array(size * partValues.length);
  partValues.forEach((value, i) => {
    const digest = checksumDigest(algorithm, value);
    if (!digest) throw new RangeError(`part ${i + 1}'s value is not a ${checksumHeaderName(algorithm)}`);
    joined.set(digest, i * size);
  });
  return `${awsChecksumOf(algorithm, joined)}-${partValues.length}`;
}

/** The combiner of each CRC that has a full-object type (all three: reflected, init = xor-out = ones). */
const COMBINERS: Partial<Record<AwsChecksumAlgorithm, ReflectedCrcCombiner>> = {
  crc32: new ReflectedCrcCombiner(0, 0xedb88320),
  crc32c: new ReflectedCrcCombiner(0, 0x82f63b78),
  crc64nvme: new ReflectedCrcCombiner(0x9a6c9329, 0xac4bc9b5),
};

/**
 * A FULL_OBJECT checksum: the CRC of the parts' bytes one after the other, from each part's CRC and
 * size only (O(parts × log size)), as base64 with no suffix.
 * @param parts - Each part's base64 CRC of `algorithm` and its size in bytes, in order (at least one).
 * @throws RangeError for an algorithm without a full-object type (SHA-1, SHA-256) or an invalid value.
 */
export function fullObjectChecksum(
  algorithm: AwsChecksumAlgorithm,
  parts: readonly { readonly value: string; readonly size: number }[],
): string {
  const combiner = COMBINERS[algorithm];
  if (!combiner) throw new RangeError(`${algorithm} has no full-object checksum`);
  const width = DIGEST_BYTES[algorithm];
  const halves = (value: string, i: number) => {
    const digest = checksumDigest(algorithm, value);
    if (!digest) throw new RangeError(`part ${i + 1}'s value is not a ${checksumHeaderName(algorithm)}`);
    const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    return width === 4 ? { hi: 0, lo: view.getUint32(0) } : { hi: view.getUint32(0), lo: view.getUint32(4) };
  };
  let crc = halves(parts[0]!.value, 0);
  for (let i = 1; i < parts.length; i++) {
    crc = combiner.combine(crc, halves(parts[i]!.value, i), BigInt(parts[i]!.size));
  }
  const out = new Uint8Array(width);
  const view = new DataView(out.buffer);
  if (width === 4) view.setUint32(0, crc.lo);
  else {
    view.setUint32(0, crc.hi);
    view.setUint32(4, crc.lo);
  }
  return bytesToBase64(out);
}
