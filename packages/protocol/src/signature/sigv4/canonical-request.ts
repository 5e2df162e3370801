/**
 * The canonical request of AWS Signature Version 4 as S3 defines it: method, URI, query, headers, the
 * list of signed header names and the payload hash, one per line. Signer and verifier both build it
 * here, so the two cannot drift.
 */
import { encodeRfc3986 } from '../../url-encoding.js';
import type { Pair } from '../canonical.js';

/**
 * The canonical URI of S3: the decoded path with every byte outside `A-Z a-z 0-9 - _ . ~ /` percent-
 * encoded once (upper-case hex). Unlike other AWS services, S3 neither encodes twice nor normalises
 * `.`, `..` or `//` segments: the key is signed exactly as it is named.
 * @param decodedPath - The path with its leading `/`, percent-decoded (`/bucket/my key`).
 */
export function canonicalUri(decodedPath: string): string {
  return encodeRfc3986(decodedPath).replace(/%2F/g, '/');
}

/**
 * The canonical query string: every name and value percent-encoded with the strict set (`/` too),
 * sorted by encoded name and then by encoded value, `name=value` joined by `&`; an empty value stays
 * `name=`. `skip` drops parameters that are not signed (a pre-signed URL's `X-Amz-Signature`).
 * @param pairs - Decoded pairs in any order, duplicates kept.
 */
export function canonicalQuery(pairs: Iterable<Pair>, skip?: (name: string) => boolean): string {
  const encoded: [string, string][] = [];
  for (const [name, value] of pairs) {
    if (skip?.(name)) continue;
    encoded.push([encodeRfc3986(name), encodeRfc3986(value)]);
  }
  // Encoded strings are ASCII, so JavaScript's UTF-16 order is the byte order AWS sorts by.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

/**
 * A header's canonical value: each occurrence trimmed with runs of spaces and tabs inside it collapsed
 * to one space, occurrences joined by `,` in arrival order (`get-header-key-duplicate` in AWS's suite).
 */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.replace(/[ \t]+/g, ' ').trim()).join(',');
}

/**
 * The canonical headers block: `name:value\n` for each signed name, in the order given (callers pass
 * the sorted list). A listed header the request lacks signs as `name:`.
 * @param signedNames - Lower-case names, sorted.
 * @param valuesOf - The request's values for a lower-case name.
 */
export function canonicalHeaders(
  signedNames: readonly string[],
  valuesOf: (lowerName: string) => readonly string[] | undefined,
): string {
  let block = '';
  for (const name of signedNames) block += `${name}:${canonicalHeaderValue(valuesOf(name) ?? [])}\n`;
  return block;
}

/** The parts of a canonical request, each already in canonical form. */
export interface CanonicalRequestParts {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** From {@link canonicalUri}. */
  readonly uri: string;
  /** From {@link canonicalQuery}. */
  readonly query: string;
  /** From {@link canonicalHeaders} (each line ends with `\n`). */
  readonly headers: string;
  /** Signed names, sorted. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, or a marker such as `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
}

/** The canonical request string that the string to sign hashes. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.uri,
    parts.query,
    parts.headers,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
