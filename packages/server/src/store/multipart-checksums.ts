/**
 * Complete Multipart Upload's S3 checksum rules, backend-neutral (run inside the commit by
 * `assemble`): the part checksums the request lists against those stored with the parts, the
 * checksum type it names against the upload's, and the object's checksum — COMPOSITE or FULL_OBJECT,
 * computed from the stored part checksums (protocol `compositeChecksum` / `fullObjectChecksum`, no byte
 * read) — against the value the request expects. Error codes and wording follow S3's
 * (docs/PROTOCOL-DECISIONS.md, "S3 multipart checksums").
 */
import {
  type AwsChecksumAlgorithm,
  type ChecksumValues,
  checksumHeaderName,
  compositeChecksum,
  fullObjectChecksum,
} from '@coskit/protocol';
import type { ObjectChecksum } from './object-checksum.js';
import type { PartRecord } from './records.js';
import type { CompleteChecksum, UploadChecksum } from './store.js';
import { StoreError } from './store-error.js';

const INVALID_PART =
  "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

/**
 * The checksums the request lists for part `number`: each must be the one stored with the part
 * (the upload's algorithm: InvalidPart; another: BadDigest), and a COMPOSITE upload needs its
 * algorithm's for every part (InvalidRequest).
 */
export function checkListedChecksums(
  upload: UploadChecksum | undefined,
  number: number,
  part: PartRecord,
  listed: ChecksumValues | undefined,
): void {
  for (const [algorithm, value] of Object.entries(listed ?? {}) as [AwsChecksumAlgorithm, string][]) {
    if (part.checksum?.algorithm === algorithm && part.checksum.value === value) continue;
    if (upload !== undefined && algorithm !== upload.algorithm) {
      throw new StoreError(
        'BadDigest',
        `The ${algorithm} you specified for part ${number} did not match what we received.`,
      );
    }
    throw new StoreError('InvalidPart', `${INVALID_PART} (part ${number}: ${checksumHeaderName(algorithm)})`);
  }
  if (upload?.type === 'COMPOSITE' && listed?.[upload.algorithm] === undefined) {
    throw new StoreError(
      'InvalidRequest',
      `The upload was created using a ${upload.algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${number} in the request.`,
    );
  }
}

/**
 * The object's checksum (undefined for an upload without one), checked against what Complete
 * expects: its `x-amz-checksum-type` must be the upload's, its `x-amz-checksum-<algorithm>` the
 * upload's algorithm and the computed value (a composite one with or without its `-<parts>`).
 * @param parts - The listed parts' records, in order.
 */
export function objectChecksumOfParts(
  upload: UploadChecksum | undefined,
  parts: readonly { readonly number: number; readonly part: PartRecord }[],
  complete: CompleteChecksum = {},
): ObjectChecksum | undefined {
  if (complete.type !== undefined && complete.type !== upload?.type) {
    throw new StoreError(
      'InvalidRequest',
      upload === undefined
        ? `The upload was created without a checksum: x-amz-checksum-type ${complete.type} cannot be used.`
        : `The upload was created using the ${upload.type} checksum mode. The complete request must use the same checksum mode.`,
    );
  }
  const expected = complete.expected;
  if (upload === undefined) {
    if (expected === undefined) return undefined;
    throw new StoreError(
      'InvalidRequest',
      `The upload was created without a checksum algorithm: ${checksumHeaderName(expected.algorithm)} cannot be checked.`,
    );
  }
  if (expected !== undefined && expected.algorithm !== upload.algorithm) {
    throw new StoreError(
      'InvalidRequest',
      `The upload was created using a ${upload.algorithm} checksum: the complete request cannot send ${checksumHeaderName(expected.algorithm)}.`,
    );
  }
  const values = parts.map(({ number, part }) => {
    if (part.checksum?.algorithm !== upload.algorithm) {
      throw new StoreError(
        'InvalidPart',
        `${INVALID_PART} (part ${number} has no ${upload.algorithm} checksum)`,
      );
    }
    return { value: part.checksum.value, size: part.size };
  });
  const value =
    upload.type === 'COMPOSITE'
      ? compositeChecksum(
          upload.algorithm,
          values.map((v) => v.value),
        )
      : fullObjectChecksum(upload.algorithm, values);
  if (expected !== undefined && expected.value !== value && `${expected.value}-${parts.length}` !== value) {
    throw new StoreError(
      'BadDigest',
      `The ${upload.algorithm} you specified did not match the calculated checksum (${value}).`,
    );
  }
  return { algorithm: upload.algorithm, value, type: upload.type };
}
