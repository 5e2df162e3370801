/**
 * Parsers of flag values. Each returns the value for the SDK or throws a `UsageError` naming the
 * flag, the accepted form and what it got — before any I/O.
 */
import { readFileSync } from 'node:fs';
import { UPLOAD_DEFAULTS } from '@coskit/client';
import { BUCKET_ACLS, LIMITS, OBJECT_ACLS, parseTaggingHeader, STORAGE_CLASSES } from '@coskit/protocol';
import { hasSizeUnit, parseDuration, parseSize } from '../output/units.js';
import { UsageError } from '../usage-error.js';

const MiB = 1024 * 1024;
const MAX_PART_MIB = LIMITS.maxPartSize / MiB;

/** `--part-size`: MiB as in the SDK (`16`), or a size (`16M`, `1G`); a whole number of MiB. */
export function parsePartSize(text: string, flag = '--part-size'): number {
  const bytes = /^\s*\d+\s*$/.test(text) ? Number(text) * MiB : parseSize(text);
  const mib = bytes === undefined ? Number.NaN : bytes / MiB;
  if (!Number.isInteger(mib) || mib < 1 || mib > MAX_PART_MIB) {
    throw new UsageError(
      `${flag} must be a whole number of MiB from 1 to ${MAX_PART_MIB}, written 16 or 16M or 1G; got "${text}".`,
    );
  }
  return mib;
}

/** `--server-side-encryption`: SSE-COS's algorithm, `AES256` (any case). */
export function parseServerSideEncryption(text: string): 'AES256' {
  if (text.trim().toUpperCase() !== 'AES256') {
    throw new UsageError(`--server-side-encryption must be AES256 (SSE-COS); got "${text}".`);
  }
  return 'AES256';
}

/**
 * `--sse-customer-key`: the SSE-C key as coscli takes it — a 32-character string whose bytes are
 * the key — or the key in base64 (44 characters), or `@<file>` holding either form (or the 32 raw
 * bytes), which keeps the key out of the shell history. Returns the key in base64.
 */
export function parseSseCustomerKey(text: string, flag = '--sse-customer-key'): string {
  const fromFile = text.startsWith('@');
  let raw: Buffer;
  if (fromFile) {
    try {
      raw = readFileSync(text.slice(1));
    } catch (err) {
      throw new UsageError(
        `${flag} ${text}: the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`,
      );
    }
  } else raw = Buffer.from(text, 'utf8');
  if (raw.byteLength === 32) return raw.toString('base64');
  const trimmed = raw.toString('utf8').trim();
  const decoded = Buffer.from(trimmed, 'base64');
  if (decoded.byteLength === 32 && decoded.toString('base64') === trimmed) return trimmed;
  if (fromFile && Buffer.byteLength(trimmed) === 32) return Buffer.from(trimmed).toString('base64');
  throw new UsageError(
    `${flag} must be 32 bytes: a 32-character string, its base64 (44 characters), or @<file> with either; got ${fromFile ? `a file of ${raw.byteLength} bytes` : `${raw.byteLength} bytes`}.`,
  );
}

/** An integer flag within [min, max]. */
export function parseIntFlag(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}; got "${text}".`);
  }
  return n;
}

/**
 * `--rate-limit`: COS's `x-cos-traffic-limit` per request. A bare number is bit/s
 * (819200–838860800); a size with a unit is bytes per second (`100K`–`100M`, `10MiB/s`).
 */
export function parseRateLimit(text: string): number {
  const t = text.trim().replace(/\/s$/i, '');
  let bits: number | undefined;
  if (/^\d+$/.test(t)) bits = Number(t);
  else if (hasSizeUnit(t)) {
    const bytes = parseSize(t);
    bits = bytes === undefined ? undefined : bytes * 8;
  }
  const range = `${LIMITS.minTrafficLimit}–${LIMITS.maxTrafficLimit} bit/s, or 100K–100M bytes per second (e.g. 10M)`;
  if (bits === undefined || !Number.isSafeInteger(bits)) {
    throw new UsageError(`--rate-limit must be ${range}; got "${text}".`);
  }
  if (bits < LIMITS.minTrafficLimit || bits > LIMITS.maxTrafficLimit) {
    throw new UsageError(`--rate-limit must be ${range}; got "${text}" = ${bits} bit/s.`);
  }
  return bits;
}

/** `--expires`, `--older-than`: `90s`, `15m`, `24h`, `7d`, `1h30m` or plain seconds. */
export function parseDurationFlag(text: string, flag: string, minSeconds = 0): number {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds < minSeconds) {
    throw new UsageError(
      `${flag} must be a duration such as 90s, 15m, 24h, 7d or 1h30m${minSeconds > 0 ? ` (at least ${minSeconds} s)` : ''}; got "${text}".`,
    );
  }
  return seconds;
}

/**
 * A cutoff time from a flag that takes either a duration back from now (`90m`, `24h`, `7d`) or an
 * ISO 8601 date or time (`2026-11-30`, `2026-11-30T12:00:00Z`), as rclone's `--min-age` does.
 * Returns epoch milliseconds; `nowMs` is the caller's clock.
 */
export function parseCutoffFlag(text: string, flag: string, nowMs: number): number {
  const seconds = parseDuration(text);
  if (seconds !== undefined) return nowMs - seconds * 1000;
  const at = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())
    ? Date.parse(text)
    : Number.NaN;
  if (Number.isNaN(at)) {
    throw new UsageError(
      `${flag} must be a duration such as 90s, 15m, 24h, 7d or 1h30m, or a date such as 2026-11-30 or 2026-11-30T12:00:00Z; got "${text}".`,
    );
  }
  return at;
}

export function parseStorageClass(text: string): string {
  const upper = text.trim().toUpperCase();
  if (!(STORAGE_CLASSES as readonly string[]).includes(upper)) {
    throw new UsageError(`--storage-class must be one of ${STORAGE_CLASSES.join(', ')}; got "${text}".`);
  }
  return upper;
}

export function parseObjectAcl(text: string): string {
  if (!(OBJECT_ACLS as readonly string[]).includes(text)) {
    throw new UsageError(`--acl must be one of ${OBJECT_ACLS.join(', ')}; got "${text}".`);
  }
  return text;
}

export function parseBucketAcl(text: string): string {
  if (!(BUCKET_ACLS as readonly string[]).includes(text)) {
    throw new UsageError(`--acl must be one of ${BUCKET_ACLS.join(', ')}; got "${text}".`);
  }
  return text;
}

/** `--tags k=v&k2=v2`: COS's x-cos-tagging form (URL-encoded keys and values), checked as COS checks tags. */
export function parseTags(text: string): string {
  const parsed = parseTaggingHeader(text);
  if ('problem' in parsed) {
    throw new UsageError(
      `--tags must be key=value pairs joined by "&" (e.g. --tags 'team=web&env=prod'; URL-encode other characters): ${parsed.problem.message}`,
    );
  }
  if (parsed.tags.length === 0)
    throw new UsageError('--tags needs at least one key=value pair, e.g. --tags team=web.');
  return text;
}

export const DEFAULT_PART_SIZE_MIB: number = UPLOAD_DEFAULTS.partSizeMiB;
export const DEFAULT_THREADS: number = UPLOAD_DEFAULTS.maxThread;
export const DEFAULT_FILES = 16;
