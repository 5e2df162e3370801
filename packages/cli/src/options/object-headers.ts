/**
 * The headers an upload gives its object, by their names: `--cache-control`, `--content-disposition`,
 * `--content-encoding`, `--content-language`, `--expires`, `--content-type`, and `--meta` in both
 * forms — coskit's `key=value` (repeatable) and coscli's `"Cache-Control:no-cache#x-cos-meta-a:b"`.
 * A standard header named in `--meta` becomes that header (never `x-cos-meta-cache-control`).
 */
import { LIMITS } from '@coskit/protocol';
import { UsageError } from '../usage-error.js';
import { parseTags } from './values.js';

/** The SDK parameters of the standard headers an upload may set. */
export interface StandardHeaders {
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentType?: string;
  Expires?: string;
  /** `x-cos-tagging` (`k1=v1&k2=v2`), accepted in `--meta` as coscli does. */
  Tagging?: string;
}

/** Header name (lower case) → SDK parameter and the flag that sets it. */
const STANDARD: Record<string, { param: keyof StandardHeaders; flag?: string }> = {
  'cache-control': { param: 'CacheControl', flag: '--cache-control' },
  'content-disposition': { param: 'ContentDisposition', flag: '--content-disposition' },
  'content-encoding': { param: 'ContentEncoding', flag: '--content-encoding' },
  'content-language': { param: 'ContentLanguage', flag: '--content-language' },
  'content-type': { param: 'ContentType', flag: '--content-type' },
  expires: { param: 'Expires', flag: '--expires' },
  'x-cos-tagging': { param: 'Tagging' },
};

const META_PREFIX = 'x-cos-meta-';
const NAMES =
  'Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Content-Type, Expires, x-cos-tagging';

export interface HeaderFlags {
  meta?: string[];
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentType?: string;
  expires?: string;
  /** `--tags k=v&k2=v2`: the same header as `--meta x-cos-tagging:…`. */
  tags?: string;
}

export interface ObjectHeaders {
  readonly headers: StandardHeaders;
  readonly metadata: Record<string, string> | undefined;
}

function checkValue(what: string, value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new UsageError(
      `${what}: the value must be printable ASCII (HTTP headers carry nothing else); URL-encode other text.`,
    );
  }
  return value;
}

/** `--expires`: an HTTP date, or any date `Date.parse` reads (2026-10-12T00:00:00Z), sent as an HTTP date. */
export function parseExpires(text: string, what = '--expires'): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) {
    throw new UsageError(
      `${what} must be a date, e.g. 2026-10-12T00:00:00Z or "Mon, 12 Oct 2026 00:00:00 GMT"; got "${text}".`,
    );
  }
  return new Date(t).toUTCString();
}

function parseContentType(text: string, what: string): string {
  if (!/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"]*"|[\w.+-]+))*$/.test(text.trim())) {
    throw new UsageError(
      `${what} must look like type/subtype, e.g. text/plain; charset=utf-8; got "${text}".`,
    );
  }
  return text.trim();
}

/** The `(name, value)` pairs of one `--meta`: coscli's `Name:value#Name:value`, or `key=value`. */
function metaPairs(entry: string): { name: string; value: string; coscli: boolean }[] {
  const colon = entry.indexOf(':');
  const eq = entry.indexOf('=');
  if (colon > 0 && (eq < 0 || colon < eq)) {
    return entry.split('#').map((pair) => {
      const at = pair.indexOf(':');
      if (at <= 0) {
        throw new UsageError(
          `--meta in coscli's form is Name:value#Name:value (e.g. "Cache-Control:no-cache#x-cos-meta-owner:alice"); "${pair}" has no "Name:".`,
        );
      }
      return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1), coscli: true };
    });
  }
  if (eq <= 0) {
    throw new UsageError(
      `--meta must be key=value (e.g. --meta owner=alice) or coscli's "Cache-Control:no-cache#x-cos-meta-owner:alice"; got "${entry}".`,
    );
  }
  return [{ name: entry.slice(0, eq).trim(), value: entry.slice(eq + 1), coscli: false }];
}

/**
 * The object's headers from the flags. In `--meta`, a standard header name becomes that header and
 * `x-cos-meta-NAME` user metadata; in the `key=value` form a bare name is user metadata too
 * (`owner=alice` → `x-cos-meta-owner`). Any other header name (`x-cos-acl`, `Content-Length`) is
 * refused with what to use instead. The same header from a flag and from `--meta` must agree.
 */
export function parseObjectHeaders(f: HeaderFlags): ObjectHeaders {
  const headers: StandardHeaders = {};
  const from: Partial<Record<keyof StandardHeaders, string>> = {};
  const set = (param: keyof StandardHeaders, value: string, what: string) => {
    if (headers[param] !== undefined && headers[param] !== value) {
      throw new UsageError(`${what} and ${from[param]} set the same header to different values.`);
    }
    headers[param] = value;
    from[param] = what;
  };
  const flagValues: [keyof StandardHeaders, string | undefined, string][] = [
    ['CacheControl', f.cacheControl, '--cache-control'],
    ['ContentDisposition', f.contentDisposition, '--content-disposition'],
    ['ContentEncoding', f.contentEncoding, '--content-encoding'],
    ['ContentLanguage', f.contentLanguage, '--content-language'],
  ];
  for (const [param, value, flag] of flagValues)
    if (value !== undefined) set(param, checkValue(flag, value), flag);
  if (f.contentType !== undefined)
    set('ContentType', parseContentType(f.contentType, '--content-type'), '--content-type');
  if (f.expires !== undefined) set('Expires', parseExpires(f.expires), '--expires');
  if (f.tags !== undefined) set('Tagging', parseTags(f.tags), '--tags');

  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const entry of f.meta ?? []) {
    for (const { name, value, coscli } of metaPairs(entry)) {
      const lower = name.toLowerCase();
      const what = `--meta ${name}`;
      const standard = STANDARD[lower];
      if (standard) {
        const v = checkValue(what, value);
        const parsed =
          standard.param === 'Expires'
            ? parseExpires(v, what)
            : standard.param === 'ContentType'
              ? parseContentType(v, what)
              : v;
        set(standard.param, parsed, what);
        continue;
      }
      let metaName: string;
      if (lower.startsWith(META_PREFIX)) metaName = lower.slice(META_PREFIX.length);
      else if (!coscli && !lower.startsWith('x-') && !KNOWN_HEADERS.has(lower)) metaName = lower;
      else {
        throw new UsageError(
          `--meta "${name}" is neither a header an upload sets (${NAMES}) nor user metadata x-cos-meta-*${hintFor(lower)}.`,
        );
      }
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(metaName)) {
        throw new UsageError(
          `--meta ${name}: a metadata name has letters, digits, "-" and "_" only (e.g. x-cos-meta-owner).`,
        );
      }
      metadata[`${META_PREFIX}${metaName}`] = checkValue(what, value);
      bytes += META_PREFIX.length + metaName.length + value.length;
    }
  }
  if (bytes > LIMITS.maxUserMetadataBytes) {
    throw new UsageError(
      `--meta entries total ${bytes} bytes; COS allows at most ${LIMITS.maxUserMetadataBytes} (names and values).`,
    );
  }
  return { headers, metadata: Object.keys(metadata).length > 0 ? metadata : undefined };
}

/** Headers that are not metadata: a bare `--meta` name equal to one of them is refused, not stored as x-cos-meta-*. */
const KNOWN_HEADERS = new Set([
  'content-length',
  'content-md5',
  'host',
  'authorization',
  'date',
  'etag',
  'last-modified',
  'range',
  'transfer-encoding',
]);

function hintFor(lower: string): string {
  if (lower === 'x-cos-storage-class') return '; use --storage-class';
  if (lower === 'x-cos-acl') return '; use --acl';
  if (lower.startsWith('x-amz-meta-'))
    return `; COS's user metadata is x-cos-meta-${lower.slice('x-amz-meta-'.length)}`;
  return '';
}
