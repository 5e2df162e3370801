/**
 * PUT and GET Object acl (`?acl` on an object; docs 7748, 7744). The ACL lives in the object's
 * stored headers (`x-cos-acl`, `x-cos-grant-*`, see object-tags-and-grants.ts), which the access
 * check reads.
 */
import {
  ALL_USERS_GROUP_URI,
  ANYONE_ID,
  buildAccessControlPolicy,
  checkAclGrants,
  formatGrantHeader,
  GRANT_HEADER_PERMISSIONS,
  OBJECT_ACLS,
  parseAccessControlPolicy,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import type { StoredHeaders } from '../../store/store.js';
import { CosHttpError } from '../cos-http-error.js';
import {
  cannedAclOf,
  EXPLICIT_GRANTS,
  grantsOf,
  isAclHeader,
  normaliseTagsAndGrants,
} from '../object-tags-and-grants.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { missingObject, requestedVersionId } from '../version-id.js';
import { readXmlBody } from '../xml-body.js';
import { owner } from './listing-common.js';

const PERMISSION_HEADER = Object.fromEntries(
  Object.entries(GRANT_HEADER_PERMISSIONS).map(([header, permission]) => [permission, header]),
) as Record<string, string>;

/** GET Object acl: owner FULL_CONTROL, the canned ACL's grants, every stored grant; `x-cos-acl` names the canned ACL. */
export async function getObjectAcl(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const info = await ctx.store.getObject(bucket, ctx.key, { versionId });
  if (!info) throw await missingObject(ctx, bucket, versionId);
  const who = owner(ctx);
  sendXml(
    ctx.res,
    200,
    buildAccessControlPolicy({ Owner: who, AccessControlList: grantsOf(info.headers, who.ID) }),
    {
      [RESPONSE_HEADERS.acl]: cannedAclOf(info.headers),
    },
  );
}

/** The ACL headers a PUT Object acl request gives in header form. */
function aclFromHeaders(ctx: RequestContext): StoredHeaders | undefined {
  const acl: StoredHeaders = {};
  const canned = ctx.header('x-cos-acl');
  if (canned !== undefined && canned !== '') {
    if (!(OBJECT_ACLS as readonly string[]).includes(canned)) {
      throw new CosHttpError(
        'InvalidArgument',
        `x-cos-acl "${canned}" is not one of ${OBJECT_ACLS.join(', ')}.`,
      );
    }
    acl['x-cos-acl'] = canned;
  }
  let given = canned !== undefined;
  for (const header of Object.keys(GRANT_HEADER_PERMISSIONS)) {
    const value = ctx.header(header);
    if (value === undefined) continue;
    given = true;
    acl[header] = value;
  }
  if (!given) return undefined;
  normaliseTagsAndGrants(acl);
  return acl;
}

/** The ACL headers an AccessControlPolicy body amounts to. */
function aclFromBody(body: Buffer): StoredHeaders {
  const grants = parseAccessControlPolicy(body).AccessControlList;
  const problem = checkAclGrants(grants);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  const acl: StoredHeaders = { 'x-cos-acl': 'private', [EXPLICIT_GRANTS]: 'true' };
  const lists: Record<string, string[]> = {};
  for (const { Grantee: g, Permission } of grants) {
    const everyone = g.Type === 'Group' || g.ID === ANYONE_ID;
    // Everyone READ is the public-read canned ACL; every other grant is kept as given.
    if (everyone && Permission === 'READ') {
      acl['x-cos-acl'] = 'public-read';
      continue;
    }
    const header = PERMISSION_HEADER[Permission]!;
    const item = everyone
      ? formatGrantHeader([{ Type: 'Group', URI: ALL_USERS_GROUP_URI }])
      : formatGrantHeader([g]);
    lists[header] = [...(lists[header] ?? []), item];
  }
  for (const [header, items] of Object.entries(lists)) acl[header] = items.join(',');
  normaliseTagsAndGrants(acl);
  return acl;
}

/**
 * PUT Object acl: the canned `x-cos-acl` and `x-cos-grant-*` headers, or an AccessControlPolicy
 * body (not both), replace the object's whole ACL.
 */
export async function putObjectAcl(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const fromHeaders = aclFromHeaders(ctx);
  const hasBody = ctx.header('content-length') !== undefined && ctx.header('content-length') !== '0';
  let acl: StoredHeaders;
  if (hasBody || ctx.header('transfer-encoding') !== undefined) {
    const body = await readXmlBody(ctx);
    if (fromHeaders) {
      throw new CosHttpError(
        'InvalidRequest',
        'Give the ACL either in x-cos-acl/x-cos-grant-* headers or as a body, not both.',
      );
    }
    acl = aclFromBody(body);
  } else if (fromHeaders) {
    acl = fromHeaders;
  } else {
    throw new CosHttpError(
      'InvalidRequest',
      'PUT Object acl needs x-cos-acl, an x-cos-grant-* header or an AccessControlPolicy body.',
    );
  }
  await ctx.store.updateObjectHeaders(
    bucket,
    ctx.key,
    (current) => {
      const kept = Object.fromEntries(Object.entries(current.headers).filter(([name]) => !isAclHeader(name)));
      return { ...kept, ...acl };
    },
    { versionId },
  );
  sendEmpty(ctx.res, 200);
}
