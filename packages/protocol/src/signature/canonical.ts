/**
 * The canonical strings of the COS "q-sign" scheme (../shared/cos-protocol.md §2.2 step 3–4).
 * Both signing (client) and verifying (server) build them here, so the two cannot drift.
 */
import { encodeRfc3986 } from '../url-encoding.js';
import { sha1Hex } from './keys.js';

/** A name/value pair as it appears in the query or the headers. */
export type Pair = readonly [name: string, value: string];

/** The encoded, sorted form of a set of pairs. */
export interface CanonicalList {
  /** `name1;name2;…` — the value of `q-url-param-list` / `q-header-list`. */
  readonly names: string;
  /** `name1=value1&name2=value2…` — one line of the HttpString. */
  readonly joined: string;
}

/**
 * Encodes names (then lower-cases them) and values with the strict RFC 3986 set and sorts by
 * encoded name in byte order. Values keep their case (`%2F`, `%20`, uppercase hex).
 */
export function canonicalize(pairs: Iterable<Pair>): CanonicalList {
  const encoded: [string, string][] = [];
  for (const [name, value] of pairs) encoded.push([encodeRfc3986(name).toLowerCase(), encodeRfc3986(value)]);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    names: encoded.map((e) => e[0]).join(';'),
    joined: encoded.map((e) => `${e[0]}=${e[1]}`).join('&'),
  };
}

/**
 * `HttpString` = method, decoded path, parameters and headers, each followed by a newline.
 * `pathname` is the decoded key with its leading `/` (just `/` for bucket requests).
 */
export function httpString(
  method: string,
  pathname: string,
  params: CanonicalList,
  headers: CanonicalList,
): string {
  return `${method.toLowerCase()}\n${pathname}\n${params.joined}\n${headers.joined}\n`;
}

/** `StringToSign` = `sha1\n<sign-time>\nsha1hex(HttpString)\n`. */
export function stringToSign(signTime: string, http: string): string {
  return `sha1\n${signTime}\n${sha1Hex(http)}\n`;
}
