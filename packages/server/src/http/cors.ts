/**
 * Cross-origin resource sharing as COS evaluates it (docs 8279, 8288): which rules apply to a
 * request, which rule matches, and the `Access-Control-*` headers of a preflight and of an actual
 * request. Rules are the bucket's own configuration, else the server's default (`--cors`), which also
 * covers service-level requests. The first matching rule wins; matching is case-insensitive.
 */
import type { ServerResponse } from 'node:http';
import { CORS_METHODS, type CorsRule, RESPONSE_HEADERS } from '@coskit/protocol';
import type { ServerConfig } from '../config.js';
import type { Store } from '../store/store.js';

/**
 * Response headers exposed on every CORS answer besides the rule's own: without `ETag` a browser
 * cannot complete a multipart upload, without the others it cannot check CRC-64, report a request
 * id or learn a version (a coskit choice; COS exposes only what the rule lists).
 */
export const ALWAYS_EXPOSED_HEADERS: readonly string[] = [
  'ETag',
  'Content-Length',
  RESPONSE_HEADERS.requestId,
  RESPONSE_HEADERS.crc64,
  'x-cos-version-id',
];

/** The rules that govern requests to `bucket` (undefined: service level); empty when none. */
export async function corsRulesFor(
  store: Store,
  config: ServerConfig,
  bucket: string | undefined,
): Promise<readonly CorsRule[]> {
  const own = bucket === undefined ? undefined : (await store.getBucket(bucket))?.cors;
  return own?.CORSRule ?? config.cors;
}

/** Whether `value` matches `pattern`, which may hold one `*` standing for any run of characters. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** `Access-Control-Request-Headers`: comma-separated, trimmed, lower case, empties dropped. */
export function requestedHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

/** The first rule allowing `origin` to use `method` with `headers` (a preflight's announced headers). */
export function matchRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  headers: readonly string[] = [],
): CorsRule | undefined {
  const upper = method.toUpperCase();
  return rules.find(
    (rule) =>
      rule.AllowedOrigin.some((o) => wildcardMatch(o, origin)) &&
      rule.AllowedMethod.includes(upper) &&
      headers.every((h) => rule.AllowedHeader.some((allowed) => wildcardMatch(allowed, h))),
  );
}

/**
 * `Access-Control-Allow-Origin`, with `Allow-Credentials` for a named origin: a `*` rule answers
 * `*` (credentials cannot go with it), a named or patterned one echoes the origin (doc 8288).
 */
function originHeaders(rule: CorsRule, origin: string): Record<string, string> {
  if (rule.AllowedOrigin.includes('*')) return { 'Access-Control-Allow-Origin': '*' };
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

function exposeHeaders(rule: CorsRule): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of [...rule.ExposeHeader, ...ALWAYS_EXPOSED_HEADERS]) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out.join(',');
}

/**
 * Headers of a successful preflight. Allowed headers: the announced ones when the rule has a
 * wildcard, else the rule's list lower-cased (as COS answers, doc 8288 examples 1 and 2).
 */
export function preflightHeaders(
  rule: CorsRule,
  origin: string,
  announced: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {
    ...originHeaders(rule, origin),
    'Access-Control-Allow-Methods': rule.AllowedMethod.join(','),
    'Access-Control-Expose-Headers': exposeHeaders(rule),
  };
  const wildcard = rule.AllowedHeader.some((h) => h.includes('*'));
  const allowed = wildcard ? announced : rule.AllowedHeader.map((h) => h.toLowerCase());
  if (allowed.length > 0) out['Access-Control-Allow-Headers'] = allowed.join(',');
  if (rule.MaxAgeSeconds !== undefined) out['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return out;
}

/**
 * Before authentication (so that refusals are readable by the page too): when rules govern the
 * request, marks the answer `Vary: Origin`, and when the request's Origin and method match a rule,
 * adds its `Access-Control-*` headers. Requests without rules or Origin are left as they are.
 */
export function applyCorsHeaders(
  res: ServerResponse,
  rules: readonly CorsRule[],
  origin: string | undefined,
  method: string,
): void {
  if (rules.length === 0) return;
  res.setHeader('Vary', 'Origin');
  if (origin === undefined || method === 'OPTIONS') return;
  const rule = matchRule(rules, origin, method);
  if (!rule) return;
  for (const [name, value] of Object.entries(originHeaders(rule, origin))) res.setHeader(name, value);
  res.setHeader('Access-Control-Expose-Headers', exposeHeaders(rule));
}

/** What `coskit serve --cors` exposes beyond {@link ALWAYS_EXPOSED_HEADERS}: what `@coskit/client` reads in a page. */
export const DEVELOPMENT_EXPOSED_HEADERS: readonly string[] = [
  'Content-Range',
  'Content-Disposition',
  'Content-Encoding',
  'Date',
  'x-cos-next-append-position',
  'x-cos-object-type',
  'x-cos-storage-class',
  'x-cos-trace-id',
  'x-cos-error-code',
  'x-cos-tagging-count',
];

/**
 * The permissive rule of `coskit serve --cors <origins>` for development: the given origins (or
 * `*`), every method, every header, the response headers a page's SDK reads
 * ({@link DEVELOPMENT_EXPOSED_HEADERS}; COS takes no wildcard there, so `x-cos-meta-*` names must
 * be listed by a bucket's own rule) and a 600 s preflight cache.
 */
export function developmentCorsRule(origins: readonly string[]): CorsRule {
  return {
    ID: 'coskit-serve-cors',
    AllowedOrigin: [...origins],
    AllowedMethod: [...CORS_METHODS],
    AllowedHeader: ['*'],
    ExposeHeader: [...DEVELOPMENT_EXPOSED_HEADERS],
    MaxAgeSeconds: 600,
  };
}
