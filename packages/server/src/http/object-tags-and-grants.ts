/**
 * Tags and grants as an object stores them: `x-cos-tagging` in the canonical `k=v&k2=v2` form
 * (so its count is the number of `&`-separated pairs) and each `x-cos-grant-*` as normalised
 * `id="qcs::cam::uin/…:uin/…"` lists, next to the canned `x-cos-acl`. PUT Object, Initiate, the
 * first APPEND and Copy store them through {@link normaliseTagsAndGrants}; PUT ?tagging / ?acl
 * replace them; HEAD/GET answer `x-cos-tagging-count`.
 */
import {
  type AclGrant,
  ALL_USERS_GROUP_URI,
  accountGrantee,
  type CosTag,
  formatGrantHeader,
  formatTaggingHeader,
  GRANT_HEADER_PERMISSIONS,
  grantsPublicRead,
  parseGrantHeader,
  parseTaggingHeader,
  REQUEST_HEADERS,
} from '@coskit/protocol';
import type { StoredHeaders } from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';

const TAGGING = REQUEST_HEADERS.tagging;
/**
 * Stored (never sent) with an ACL given as an AccessControlPolicy body: its grants are exactly the
 * body's, without the owner's implied FULL_CONTROL that the header form carries (as COS answers).
 */
export const EXPLICIT_GRANTS = 'x-cos-grant-explicit';
const GRANT_HEADERS = Object.keys(GRANT_HEADER_PERMISSIONS) as (keyof typeof GRANT_HEADER_PERMISSIONS)[];

/**
 * Checks and rewrites, in place, the tagging and grant headers of headers about to be stored:
 * bad tags are 400 `InvalidTag`, bad grants 400 `InvalidArgument`; an empty tag set or grant list
 * is dropped.
 */
export function normaliseTagsAndGrants(stored: StoredHeaders): void {
  const tagging = stored[TAGGING];
  if (tagging !== undefined) {
    const parsed = parseTaggingHeader(tagging);
    if ('problem' in parsed) throw new CosHttpError(parsed.problem.code, parsed.problem.message);
    if (parsed.tags.length === 0) delete stored[TAGGING];
    else stored[TAGGING] = formatTaggingHeader(parsed.tags);
  }
  for (const header of GRANT_HEADERS) {
    const value = stored[header];
    if (value === undefined) continue;
    const parsed = parseGrantHeader(header, value);
    if ('problem' in parsed) throw new CosHttpError(parsed.problem.code, parsed.problem.message);
    if (parsed.grantees.length === 0) delete stored[header];
    else stored[header] = formatGrantHeader(parsed.grantees);
  }
}

/** The tags of stored headers (already validated when stored). */
export function tagsOf(headers: StoredHeaders): CosTag[] {
  const tagging = headers[TAGGING];
  if (tagging === undefined) return [];
  const parsed = parseTaggingHeader(tagging);
  return 'tags' in parsed ? parsed.tags : [];
}

/** `headers` with `tags` as their tag set (none: the tagging header removed). */
export function withTags(headers: StoredHeaders, tags: readonly CosTag[]): StoredHeaders {
  const { [TAGGING]: _old, ...rest } = headers;
  return tags.length === 0 ? rest : { ...rest, [TAGGING]: formatTaggingHeader(tags) };
}

/** Whether a stored header belongs to the ACL (`x-cos-acl`, `x-cos-grant-*`). */
export function isAclHeader(name: string): boolean {
  return name === REQUEST_HEADERS.acl || name.startsWith('x-cos-grant-');
}

/** The canned ACL an object was stored with; `default` (inherit the bucket's) when none. */
export function cannedAclOf(headers: StoredHeaders): string {
  return headers[REQUEST_HEADERS.acl] ?? 'default';
}

/** Whether stored headers let anyone read the object: `public-read`, or a READ / FULL_CONTROL grant to all users. */
export function objectIsPublic(headers: StoredHeaders): boolean {
  return grantsPublicRead(grantsOf(headers, ''));
}

/**
 * Every grant stored headers amount to: the owner's FULL_CONTROL (unless the ACL came as a body,
 * see {@link EXPLICIT_GRANTS}), all-users READ for `public-read`, then each `x-cos-grant-*`
 * grantee with that header's permission.
 */
export function grantsOf(headers: StoredHeaders, ownerId: string): AclGrant[] {
  const grants: AclGrant[] =
    headers[EXPLICIT_GRANTS] === 'true'
      ? []
      : [{ Grantee: accountGrantee(ownerId), Permission: 'FULL_CONTROL' }];
  if (cannedAclOf(headers) === 'public-read') {
    grants.push({ Grantee: { Type: 'Group', URI: ALL_USERS_GROUP_URI }, Permission: 'READ' });
  }
  for (const header of GRANT_HEADERS) {
    const value = headers[header];
    if (value === undefined) continue;
    const parsed = parseGrantHeader(header, value);
    if (!('grantees' in parsed)) continue;
    for (const grantee of parsed.grantees)
      grants.push({ Grantee: grantee, Permission: GRANT_HEADER_PERMISSIONS[header] });
  }
  return grants;
}
