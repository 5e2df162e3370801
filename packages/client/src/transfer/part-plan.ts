/** How a file of known size is cut into multipart parts. */
import { LIMITS } from '@coskit/protocol';

const MiB = 1024 * 1024;

/** One part: 1-based number and its byte range `[start, end)` in the source. */
export interface PartDescriptor {
  readonly partNumber: number;
  readonly start: number;
  readonly end: number;
}

export interface PartPlan {
  /** Bytes per part (the last part may be smaller). */
  readonly partSize: number;
  readonly partCount: number;
  readonly totalSize: number;
}

/**
 * Plans parts of `requestedPartSize` bytes, growing the size in whole MiB until the file fits in
 * 10 000 parts (COS's limit); a part never exceeds 5 GiB and is never below 1 MiB.
 * Throws RangeError when the file is too large for 10 000 parts of 5 GiB.
 */
export function planParts(totalSize: number, requestedPartSize: number): PartPlan {
  let partSize = Math.max(LIMITS.minPartSize, requestedPartSize);
  const needed = Math.ceil(totalSize / LIMITS.maxPartNumber);
  if (needed > partSize) partSize = Math.ceil(needed / MiB) * MiB;
  if (partSize > LIMITS.maxPartSize) {
    throw new RangeError(
      `A ${totalSize}-byte file does not fit in ${LIMITS.maxPartNumber} parts of at most 5 GiB.`,
    );
  }
  return { partSize, partCount: Math.max(1, Math.ceil(totalSize / partSize)), totalSize };
}

/** The byte range of part `partNumber` under `plan`. */
export function partAt(plan: PartPlan, partNumber: number): PartDescriptor {
  const start = (partNumber - 1) * plan.partSize;
  return { partNumber, start, end: Math.min(plan.totalSize, start + plan.partSize) };
}

/** Every part of the plan, in order, skipping numbers for which `skip` says true. */
export function* partsToSend(
  plan: PartPlan,
  skip: (partNumber: number) => boolean,
): Generator<PartDescriptor> {
  for (let n = 1; n <= plan.partCount; n++) if (!skip(n)) yield partAt(plan, n);
}
