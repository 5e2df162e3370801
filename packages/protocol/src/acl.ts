/**
 * Object ACLs in COS terms: canned ACLs, the `x-cos-grant-*` header form, account IDs and the
 * grants a canned ACL stands for. The XML form (`<AccessControlPolicy>`) is in
 * `xml/access-control-policy.ts`. Sources: COS docs 7748 (PUT Object acl), 7744 (GET Object acl),
 * the official SDKs' `decodeAcl` (Node) and `parse_object_canned_acl` (Python).
 */
import { LIMITS } from './limits.js';
import type { ParameterProblem } from './parameter-checks.js';

/** Permissions a grant can carry. Objects use all but `WRITE` (COS no longer grants write on objects). */
export const ACL_PERMISSIONS = ['READ', 'WRITE', 'FULL_CONTROL', 'READ_ACP', 'WRITE_ACP'] as const;
export type AclPermission = (typeof ACL_PERMISSIONS)[number];

/** The group every requester belongs to, anonymous ones included (`xsi:type="Group"`). */
export const ALL_USERS_GROUP_URI = 'http://cam.qcloud.com/groups/global/AllUsers';
/** The ID form of "anyone" that the Node SDK also recognises as public. */
export const ANYONE_ID = 'qcs::cam::anyone:anyone';

/** A grantee: an account (`CanonicalUser`) or a group. */
export type AclGrantee =
  | { Type: 'CanonicalUser'; ID: string; DisplayName: string }
  | { Type: 'Group'; URI: string };

/** One grant of an ACL. `Permission` is kept as read; {@link checkAclGrants} validates it. */
export interface AclGrant {
  Grantee: AclGrantee;
  Permission: string;
}

/** The `x-cos-grant-*` request headers of PUT Object / PUT Object acl and the permission each grants. */
export const GRANT_HEADER_PERMISSIONS = {
  'x-cos-grant-read': 'READ',
  'x-cos-grant-read-acp': 'READ_ACP',
  'x-cos-grant-write-acp': 'WRITE_ACP',
  'x-cos-grant-full-control': 'FULL_CONTROL',
  'x-cos-grant-write': 'WRITE',
} as const satisfies Record<string, AclPermission>;

const FULL_ID = /^qcs::cam::uin\/(\d+):uin\/(\d+)$/;
const SHORT_ID = /^(\d+)(?:\/(\d+))?$/;

/**
 * An account ID in the full COS form `qcs::cam::uin/<root>:uin/<sub>`. Accepts that form, a bare
 * root account `100000000001` (→ `…uin/100000000001:uin/100000000001`) and `root/sub`.
 *
 * @returns `undefined` when `id` is none of these forms (and not {@link ANYONE_ID}).
 */
export function canonicalAccountId(id: string): string | undefined {
  const trimmed = id.trim();
  if (trimmed === ANYONE_ID || FULL_ID.test(trimmed)) return trimmed;
  const m = SHORT_ID.exec(trimmed);
  return m ? `qcs::cam::uin/${m[1]}:uin/${m[2] ?? m[1]}` : undefined;
}

/** The owner/grantee record of an account: full ID, and the sub-account UIN as display name. */
export function accountGrantee(id: string): AclGrantee {
  const m = FULL_ID.exec(id);
  return { Type: 'CanonicalUser', ID: id, DisplayName: m ? m[2]! : id };
}

const GRANT_ITEM = /^\s*(id|uri)\s*=\s*"([^"]*)"\s*$/i;

/**
 * Reads one `x-cos-grant-*` value: comma-separated `id="<account>"` (any form of
 * {@link canonicalAccountId}) or `uri="<group URI>"` items. Repeated grantees are kept once (the
 * Node SDK de-duplicates too).
 *
 * @returns The grantees in header order, or the problem to answer (400 `InvalidArgument`).
 */
export function parseGrantHeader(
  header: string,
  value: string,
): { grantees: AclGrantee[] } | { problem: ParameterProblem } {
  const grantees: AclGrantee[] = [];
  const seen = new Set<string>();
  for (const item of value.split(',')) {
    if (item.trim() === '') continue;
    const m = GRANT_ITEM.exec(item);
    const kind = m?.[1]?.toLowerCase();
    const text = m?.[2] ?? '';
    const id = kind === 'id' ? canonicalAccountId(text) : undefined;
    const grantee: AclGrantee | undefined =
      kind === 'uri' && text === ALL_USERS_GROUP_URI
        ? { Type: 'Group', URI: ALL_USERS_GROUP_URI }
        : id === undefined
          ? undefined
          : accountGrantee(id);
    if (grantee === undefined) {
      return {
        problem: {
          code: 'InvalidArgument',
          message: `${header} item ${JSON.stringify(item.trim())} must be id="<OwnerUin>" (or id="qcs::cam::uin/<uin>:uin/<uin>") or uri="${ALL_USERS_GROUP_URI}".`,
        },
      };
    }
    const identity = grantee.Type === 'Group' ? grantee.URI : grantee.ID;
    if (!seen.has(identity)) grantees.push(grantee);
    seen.add(identity);
  }
  if (grantees.length > LIMITS.maxAclGrants) {
    return {
      problem: {
        code: 'InvalidArgument',
        message: `${header} names ${grantees.length} grantees; at most ${LIMITS.maxAclGrants} are allowed.`,
      },
    };
  }
  return { grantees };
}

/** The `x-cos-grant-*` value for `grantees` (`id="…",uri="…"`), as the Node SDK's `decodeAcl` writes it. */
export function formatGrantHeader(grantees: readonly AclGrantee[]): string {
  return grantees.map((g) => (g.Type === 'Group' ? `uri="${g.URI}"` : `id="${g.ID}"`)).join(',');
}

/**
 * The grants a canned object ACL stands for: the owner always has `FULL_CONTROL`; `public-read`
 * adds `READ` for {@link ALL_USERS_GROUP_URI}. `default` (inherit the bucket's ACL) and `private`
 * list the owner only; GET Object acl tells them apart by the `x-cos-acl` response header.
 *
 * @param acl - One of `OBJECT_ACLS`.
 * @param ownerId - The owner's full account ID.
 */
export function cannedAclGrants(acl: string, ownerId: string): AclGrant[] {
  const grants: AclGrant[] = [{ Grantee: accountGrantee(ownerId), Permission: 'FULL_CONTROL' }];
  if (acl === 'public-read')
    grants.push({ Grantee: { Type: 'Group', URI: ALL_USERS_GROUP_URI }, Permission: 'READ' });
  return grants;
}

/** Whether `grants` let anyone read (a READ or FULL_CONTROL grant to all users). */
export function grantsPublicRead(grants: readonly AclGrant[]): boolean {
  return grants.some(
    (g) =>
      (g.Permission === 'READ' || g.Permission === 'FULL_CONTROL') &&
      (g.Grantee.Type === 'Group' ? g.Grantee.URI === ALL_USERS_GROUP_URI : g.Grantee.ID === ANYONE_ID),
  );
}

/**
 * Server side: checks the grants of a PUT Object acl body: at most {@link LIMITS.maxAclGrants},
 * each with a known permission, a grantee with a valid account ID or the all-users group URI.
 * The problem's code is `MalformedXML`, which is what COS answers for a body that breaks its schema.
 */
export function checkAclGrants(grants: readonly AclGrant[]): ParameterProblem | undefined {
  const malformed = (message: string): ParameterProblem => ({ code: 'MalformedXML', message });
  if (grants.length > LIMITS.maxAclGrants) {
    return malformed(
      `AccessControlList has ${grants.length} grants; at most ${LIMITS.maxAclGrants} are allowed.`,
    );
  }
  for (const [i, grant] of grants.entries()) {
    if (!(ACL_PERMISSIONS as readonly string[]).includes(grant.Permission)) {
      return malformed(
        `Grant[${i}].Permission must be one of ${ACL_PERMISSIONS.join(', ')}; got "${grant.Permission}".`,
      );
    }
    const g = grant.Grantee;
    if (g.Type === 'Group' ? g.URI !== ALL_USERS_GROUP_URI : canonicalAccountId(g.ID) === undefined) {
      return malformed(
        g.Type === 'Group'
          ? `Grant[${i}].Grantee.URI must be ${ALL_USERS_GROUP_URI}; got "${g.URI}".`
          : `Grant[${i}].Grantee.ID must be qcs::cam::uin/<uin>:uin/<uin>; got "${g.ID}".`,
      );
    }
  }
  return undefined;
}
