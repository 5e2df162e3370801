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
 * The digits a version ID carries, if it has COS's shape: unpadded base64 of 1–20 ASCII digits
 * (COS's own IDs are 20 digits; this server's 16).
 */
function digitsOf(id: string): string | undefined {
  if (!/^[A-Za-z0-9]{2,28}$/.test(id)) return undefined;
  const digits = Buffer.from(id, 'base64').toString('latin1');
  if (!/^\d{1,20}$/.test(digits)) return undefined;
  return Buffer.from(digits, 'latin1').toString('base64').replace(/=+$/, '') === id ? digits : undefined;
}

/**
 * The sequence number a (non-null) version ID names, or undefined if it names none this server
 * could have issued (a COS-shaped ID from elsewhere: the version does not exist here).
 */
export function sequenceOfVersionId(id: string): number | undefined {
  const digits = digitsOf(id);
  if (digits === undefined || digits.length > 16) return undefined;
  const seq = MAX_SEQUENCE - Number(digits);
  return seq > 0 && versionIdOf(seq) === id ? seq : undefined;
}

/**
 * Whether `id` can be a version ID: `null`, or COS's shape. Anything else is `400
 * InvalidArgument`; a well-formed ID that names no version here is `404 NoSuchVersion`.
 */
export function isWellFormedVersionId(id: string): boolean {
  return id === NULL_VERSION_ID || digitsOf(id) !== undefined;
}
