/**
 * Version IDs and the sequence numbers behind them. Every version of a key (object or delete
 * marker) written while its bucket has versioning gets a sequence number, strictly greater than
 * every earlier one of that key; the index keys versions by the inverted number, so a key's
 * versions come newest first (see versionKey in keys.ts).
 *
 * The ID a client sees is the base64 of the inverted number's decimal digits, as COS's IDs look
 * (`MTg0NDUxNTc1NjIzMTQ1MDAwODg`): URL-safe (base64 of ASCII digits never yields `+`, `/` or `=`
 * padding once trimmed), and decodable back to the sequence number, so a `version-id-marker` or a
 * `versionId` names a position in the index without a lookup. The version a Suspended bucket
 * writes, and every object written before versioning, is the `null` version.
 */

/** The ID of the version written while versioning was off or suspended. */
export const NULL_VERSION_ID = 'null';

/**
 * Sequence numbers are microseconds since the epoch (made unique and increasing), below this
 * bound; the index stores `MAX_SEQUENCE - seq` so that newer sorts first.
 */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;

let lastIssued = 0;

/**
 * A sequence number for a new version of a key whose newest version has `newest` (0: none):
 * now in microseconds, but above every number issued by this process and above `newest`, so a
 * clock that stepped back (or a restart on a slower clock) never orders a new version under an old one.
 */
export function nextSequence(newest: number): number {
  const seq = Math.max(Date.now() * 1000, lastIssued + 1, newest + 1);
  lastIssued = seq;
  return seq;
}

/** The sequence number of a record written before versioning existed for it: its time, in µs. */
export function sequenceOfTime(lastModifiedMs: number): number {
  return lastModifiedMs * 1000;
}

/** The client-facing ID of sequence number `seq`. */
export function versionIdOf(seq: number): string {
  return Buffer.from(String(MAX_SEQUENCE - seq), 'ascii')
    .toString('base64')
    .replace(/=+$/, '');
}

/**
 * The sequence number a (non-null) version ID names, or undefined if `id` is not one this server
 * could have issued (the caller answers `400 InvalidArgument`).
 */
export function sequenceOfVersionId(id: string): number | undefined {
  if (!/^[A-Za-z0-9]{1,28}$/.test(id)) return undefined;
  const digits = Buffer.from(id, 'base64').toString('ascii');
  if (!/^\d{1,16}$/.test(digits) || versionIdOf(MAX_SEQUENCE - Number(digits)) !== id) return undefined;
  const seq = MAX_SEQUENCE - Number(digits);
  return seq > 0 ? seq : undefined;
}

/** Whether `id` is `null` or an ID this server could have issued. */
export function isWellFormedVersionId(id: string): boolean {
  return id === NULL_VERSION_ID || sequenceOfVersionId(id) !== undefined;
}
