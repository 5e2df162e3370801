/**
 * The Content-Type COS assigns an object stored without one: the type its key's extension implies
 * (`1.zip` → `application/zip`, `a.txt` → `text/plain`), else `application/octet-stream`. The
 * table is the `mime` package's (the IANA and Apache types, kept current upstream). Shared by the
 * server (PUT, APPEND, Initiate without a Content-Type) and any client or CLI that wants to name
 * the type before sending; pure, no I/O.
 */
import mime from 'mime';

/** What COS stores when neither the request nor the key's extension names a type. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The type the extension of `key` implies (the text after the last `.` of its last `/` segment,
 * any case), or undefined when there is no extension or `mime` does not know it.
 */
export function contentTypeFromExtension(key: string): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot === name.length - 1) return undefined;
  return mime.getType(name.slice(dot + 1)) ?? undefined;
}

/** The Content-Type COS gives an object stored without one: from its key's extension, else the default. */
export function contentTypeForKey(key: string): string {
  return contentTypeFromExtension(key) ?? DEFAULT_CONTENT_TYPE;
}
