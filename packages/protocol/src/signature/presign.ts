/** Pre-signed URLs: the q-sign fields carried in the query string instead of a header. */

import { REQUEST_HEADERS } from '../headers.js';
import { encodeRfc3986 } from '../url-encoding.js';
import { QSIGN_PARAM_NAMES, type QSignFields } from './authorization.js';
import { computeQSign, type SignInput } from './sign.js';

/**
 * The query string (without `?`) that authorises a request: the seven `q-*` pairs, then
 * `x-cos-security-token` when a temporary-key token is given. `;` stays literal as in the official
 * Node SDK's URLs; other characters are percent-encoded.
 */
export function presignQuery(input: SignInput & { readonly token?: string }): string {
  const fields: QSignFields = computeQSign(input);
  const parts = (Object.keys(QSIGN_PARAM_NAMES) as (keyof QSignFields)[]).map(
    (f) => `${QSIGN_PARAM_NAMES[f]}=${encodeRfc3986(fields[f]).replace(/%3B/g, ';')}`,
  );
  if (input.token) parts.push(`${REQUEST_HEADERS.securityToken}=${encodeRfc3986(input.token)}`);
  return parts.join('&');
}

/** True for a query parameter that belongs to the signature itself (never signed). */
export function isQSignParam(name: string): boolean {
  return name.toLowerCase().startsWith('q-');
}
