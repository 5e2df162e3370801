/**
 * Percent-encoding rules of the COS XML API, in one place.
 *
 * COS uses the strict RFC 3986 unreserved set (`A-Z a-z 0-9 - _ . ~`) everywhere: in the
 * signature's canonical strings, in object keys on the request line and in listings answered
 * with `encoding-type=url`. `encodeURIComponent` leaves `! ' ( ) *` alone, so they are added here
 * (the official Node SDK's `camSafeUrlEncode` does the same).
 */

const EXTRA_RESERVED = /[!'()*]/g;

function hexEscape(char: string): string {
  return '%' + char.charCodeAt(0).toString(16).toUpperCase();
}

/** Percent-encodes every byte of the UTF-8 form of `value` except `A-Z a-z 0-9 - _ . ~`. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(EXTRA_RESERVED, hexEscape);
}

/**
 * Encodes an object key for the request path: as {@link encodeRfc3986} but `/` stays literal.
 * A `.` segment or `..` segment is protected by encoding the dot before a slash (`./` → `.%2F`, as
 * the Python SDK does) so that no proxy or URL parser collapses dot segments.
 */
export function encodeKeyPath(key: string): string {
  return encodeRfc3986(key).replace(/%2F/g, '/').replace(/\.\//g, '.%2F');
}

/**
 * Decodes a percent-encoded path or query component. `+` is kept as `+` (COS never treats it as
 * a space). Returns `undefined` for malformed escapes or bytes that are not valid UTF-8, so the
 * caller can answer `InvalidURI` instead of throwing.
 */
export function decodeComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The `encoding-type=url` transform applied to keys, prefixes, markers and delimiters in listings.
 * Chosen form (COS's exact rule is UNCONFIRMED, see docs/PROTOCOL-DECISIONS.md): strict RFC 3986
 * with `/` kept literal, so that both the Python SDK (`unquote`) and plain readers decode it.
 */
export function encodeListingValue(value: string): string {
  return encodeRfc3986(value).replace(/%2F/g, '/');
}

/** Inverse of {@link encodeListingValue}; leaves a value that is not valid encoding untouched. */
export function decodeListingValue(value: string): string {
  return decodeComponent(value) ?? value;
}

/**
 * Splits a raw query string (without `?`) into decoded name/value pairs, in order, duplicates
 * kept. `name` alone and `name=` both give an empty value. Unlike `URLSearchParams`, `+` is not
 * turned into a space (COS clients encode spaces as `%20`). Returns undefined on a malformed escape.
 */
export function parseQuery(raw: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  if (raw === '') return pairs;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    pairs.push([name, value]);
  }
  return pairs;
}
