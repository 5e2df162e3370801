/**
 * The whole object's CRC-64 from its parts (or ranges, or appended chunks), and the check against
 * the CRC-64 the server reports for the whole object. Every transfer combines and checks here.
 */
import { Crc64, crc64Combine, crc64ToDecimal, parseCrc64Decimal } from '@coskit/protocol';
import { CosClientError } from '../errors.js';

/** A piece of an object: its CRC-64 (decimal) and length in bytes. */
export interface CrcPiece {
  readonly crc64: string;
  readonly size: number;
}

/** CRC-64 (decimal) of bytes. */
export function crc64Of(bytes: Uint8Array): string {
  return new Crc64().update(bytes).digestDecimal();
}

/**
 * CRC-64 (decimal) of the concatenation of `pieces`, in order, starting from `initial` (the CRC
 * of what precedes them, e.g. an appendable object's current content; default the empty string's).
 * Undefined when `initial` is not a CRC-64 (an object whose CRC the server did not give).
 */
export function combineCrc64(pieces: Iterable<CrcPiece>, initial = '0'): string | undefined {
  let combined = parseCrc64Decimal(initial);
  if (combined === undefined) return undefined;
  for (const p of pieces) combined = crc64Combine(combined, parseCrc64Decimal(p.crc64) ?? 0n, p.size);
  return crc64ToDecimal(combined);
}

/**
 * Throws COS_CHECKSUM_MISMATCH when the server's CRC-64 of the whole object (when it sent one)
 * differs from the local one; `what` names the object in the message.
 */
export function checkWholeCrc64(
  local: string | undefined,
  server: string | undefined,
  what: string,
  details: { UploadId?: string | undefined } = {},
): void {
  if (local === undefined || server === undefined || local === server) return;
  throw new CosClientError(
    'COS_CHECKSUM_MISMATCH',
    `${what}: the server's CRC-64 ${server} differs from the local ${local}`,
    details,
  );
}
