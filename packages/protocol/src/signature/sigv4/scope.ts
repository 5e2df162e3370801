/**
 * The credential of a SigV4 request — `<AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request` — and
 * the date formats the scheme uses.
 */
import type { CosErrorCode } from '../../errors.js';
import { SigV4Error } from './error.js';
import { SIGV4_SCOPE_TERMINATOR } from './names.js';

/** Who signed, and for which day, region and service. */
export interface SigV4Credential {
  readonly accessKeyId: string;
  /** `YYYYMMDD`, UTC. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** `<date>/<region>/<service>/aws4_request`: the scope line of every string to sign. */
export function credentialScope(c: Pick<SigV4Credential, 'date' | 'region' | 'service'>): string {
  return `${c.date}/${c.region}/${c.service}/${SIGV4_SCOPE_TERMINATOR}`;
}

/** The `Credential=` / `X-Amz-Credential` value. */
export function formatCredential(c: SigV4Credential): string {
  return `${c.accessKeyId}/${credentialScope(c)}`;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `YYYYMMDDTHHMMSSZ` (ISO 8601 basic, UTC) for a time in milliseconds; seconds are truncated. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Milliseconds for a `YYYYMMDDTHHMMSSZ` value, or undefined when it is not one (or not a real date). */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return formatAmzDate(ms) === value ? ms : undefined; // rejects 20130231T…, 25:00 and friends
}

/**
 * Reads a credential value. `code` is the error to raise: `AuthorizationHeaderMalformed` for the header
 * form, `AuthorizationQueryParametersError` for a pre-signed URL.
 */
export function parseCredential(value: string, code: CosErrorCode): SigV4Credential {
  const parts = value.split('/');
  const fail = (why: string): never => {
    throw new SigV4Error(code, `The credential "${value}" is malformed: ${why}.`);
  };
  if (parts.length !== 5) fail('expected <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request');
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId === '') fail('the access key id is empty');
  if (!/^\d{8}$/.test(date) || parseAmzDate(`${date}T000000Z`) === undefined)
    fail('the date is not YYYYMMDD');
  if (!/^[a-z0-9-]+$/.test(region)) fail('the region is not [a-z0-9-]+');
  if (!/^[a-z0-9-]+$/.test(service)) fail('the service is not [a-z0-9-]+');
  if (terminator !== SIGV4_SCOPE_TERMINATOR) fail(`it must end with "${SIGV4_SCOPE_TERMINATOR}"`);
  return { accessKeyId, date, region, service };
}
