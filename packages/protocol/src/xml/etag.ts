/**
 * ETag quoting. COS sends ETags with their double quotes (`"md5hex"`) and the SDKs compare them
 * quoted, so models keep the quotes; comparisons strip them.
 */

/**
 * The quoted form of an ETag: surrounding quotes added if missing (as the Node SDK does for
 * Complete); `''` stays `''` so an absent ETag is not turned into `""`.
 */
export function quoteETag(etag: string): string {
  return etag === '' ? '' : `"${unquoteETag(etag)}"`;
}

/** The ETag without one surrounding pair of quotes, for comparing a client's value with a stored one. */
export function unquoteETag(etag: string): string {
  const start = etag.startsWith('"') ? 1 : 0;
  const end = etag.length > start && etag.endsWith('"') ? etag.length - 1 : etag.length;
  return etag.slice(start, end);
}
