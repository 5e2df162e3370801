/**
 * Complete Multipart Upload's checks and the assembled object's identity: the S3-style
 * multipart ETag and the whole-object CRC-64 combined from the parts' CRCs (no byte is read).
 */
import { createHash } from 'node:crypto';
import {
  type ChecksumValues,
  crc64Combine,
  crc64ToDecimal,
  LIMITS,
  parseCrc64Decimal,
} from '@coskit/protocol';
import { checkListedChecksums, objectChecksumOfParts } from './multipart-checksums.js';
import type { ObjectChecksum } from './object-checksum.js';
import type { ObjectPart } from './object-parts.js';
import type { PartRecord, Segment } from './records.js';
import type { CompleteChecksum, UploadChecksum } from './store.js';
import { StoreError } from './store-error.js';

export interface RequestedPart {
  readonly PartNumber: number;
  readonly ETag: string;
  /** S3: the part's checksums the request lists (`<ChecksumCRC32>`, …). */
  readonly Checksums?: ChecksumValues | undefined;
}

export interface AssembledObject {
  readonly size: number;
  readonly etag: string;
  readonly crc64: string;
  readonly segments: Segment[];
  /** The S3 checksum the object gets (multipart-checksums.ts), when the upload has one. */
  readonly checksum?: ObjectChecksum | undefined;
  /** Each part's size, and its checksum when the object gets one (object-parts.ts). */
  readonly parts: readonly ObjectPart[];
}

const unquote = (etag: string) => etag.replace(/^"+|"+$/g, '').toLowerCase();

/**
 * Validates the requested list against the stored parts (COS rules: ascending and consecutive
 * numbers, every part present with its ETag, every part but the last ≥ 1 MiB; S3 checksums: the
 * object checksum the request expects, then the part checksums it lists) and assembles.
 * @param uploadChecksum - The upload's checksum (Initiate's `x-amz-checksum-algorithm`), if any.
 * @param completeChecksum - What the Complete request says of the object's checksum.
 */
export function assemble(
  requested: readonly RequestedPart[],
  stored: (n: number) => PartRecord | undefined,
  uploadChecksum?: UploadChecksum,
  completeChecksum?: CompleteChecksum,
): AssembledObject {
  if (requested.length === 0)
    throw new StoreError('MalformedXML', 'The CompleteMultipartUpload body lists no part.');
  // Order first, then existence and ETags, then sizes: the list's shape is the first thing wrong.
  for (let i = 1; i < requested.length; i++) {
    const prev = requested[i - 1]!.PartNumber;
    const n = requested[i]!.PartNumber;
    if (n <= prev) throw new StoreError('InvalidPartOrder', `Part ${n} is listed after part ${prev}.`);
    if (n !== prev + 1)
      throw new StoreError('InvalidPart', `Part numbers must be consecutive: ${prev} is followed by ${n}.`);
  }
  const found = requested.map((req) => {
    const part = stored(req.PartNumber);
    if (!part) throw new StoreError('InvalidPart', `Part ${req.PartNumber} has not been uploaded.`);
    if (unquote(part.etag) !== unquote(req.ETag)) {
      throw new StoreError(
        'InvalidPart',
        `Part ${req.PartNumber}'s ETag ${req.ETag} does not match the uploaded part's ${part.etag}.`,
      );
    }
    return { number: req.PartNumber, part };
  });
  // The whole-object value first: it is what a client that lists no part checksum still checks.
  const checksum = objectChecksumOfParts(uploadChecksum, found, completeChecksum);
  found.forEach(({ number, part }, i) => {
    checkListedChecksums(uploadChecksum, number, part, requested[i]!.Checksums);
  });
  const segments: Segment[] = [];
  let size = 0;
  let crc = 0n;
  found.forEach(({ number, part }, i) => {
    if (i < found.length - 1 && part.size < LIMITS.minPartSize) {
      throw new StoreError(
        'EntityTooSmall',
        `Part ${number} is ${part.size} bytes; every part but the last must be at least ${LIMITS.minPartSize}.`,
      );
    }
    segments.push(
      part.nonce === undefined
        ? { blob: part.blob, size: part.size }
        : { blob: part.blob, size: part.size, nonce: part.nonce },
    );
    crc = crc64Combine(crc, parseCrc64Decimal(part.crc64) ?? 0n, part.size);
    size += part.size;
  });
  const etag = multipartEtag(found.map(({ part }) => part.etag));
  return {
    size,
    etag,
    crc64: crc64ToDecimal(crc),
    segments,
    parts: found.map(({ part }) =>
      checksum && part.checksum ? { size: part.size, checksum: part.checksum.value } : { size: part.size },
    ),
    ...(checksum ? { checksum } : {}),
  };
}

/**
 * The S3-style ETag of an object made of parts with these ETags, in order: the MD5 of their MD5s,
 * then `-<parts>` (quoted).
 */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5s = partEtags.map((etag) => Buffer.from(unquote(etag), 'hex'));
  return `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${partEtags.length}"`;
}
