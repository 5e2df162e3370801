/** What every `uploadFile` (Node's and a page's) derives from the answer that wrote the object. */

/**
 * `VersionId` from a PUT or Complete answer's `x-cos-version-id`, when the bucket has versioning
 * (`'null'` while it is suspended); nothing otherwise. A page sees the header only when the
 * bucket's CORS rule exposes it (`coskit serve --cors` does).
 */
export function versionOf(result: { 'x-cos-version-id'?: string | undefined }): { VersionId?: string } {
  const id = result['x-cos-version-id'];
  return id ? { VersionId: id } : {};
}
