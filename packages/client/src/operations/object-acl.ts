/** PUT Object acl and GET Object acl (docs 7748, 7744). */
import {
  type AclGrant,
  buildAccessControlPolicy,
  type CosOwner,
  type GRANT_HEADER_PERMISSIONS,
  grantsPublicRead,
  OBJECT_ACLS,
  parseAccessControlPolicy,
  parseGrantHeader,
} from '@coskit/protocol';
import { type XmlRequestBody, xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { parseOrThrow } from './bucket.js';
import { type CallOptions, type HeaderResponse, headerResponse, headersFrom } from './common.js';

interface ObjectAclTarget extends CallOptions {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

/** An ACL in the Python SDK's shape: `{ Owner, AccessControlList: { Grant: [...] } }`. */
export interface ObjectAccessControlPolicy {
  Owner: CosOwner;
  AccessControlList: { Grant: AclGrant[] };
}

export interface PutObjectAclParams extends ObjectAclTarget {
  /** Canned ACL: `default` (inherit the bucket's), `private` or `public-read`. */
  ACL?: 'default' | 'private' | 'public-read';
  /** `id="<OwnerUin>"` items, comma-separated (also `id="qcs::cam::uin/<uin>:uin/<uin>"`). */
  GrantRead?: string;
  GrantReadAcp?: string;
  GrantWriteAcp?: string;
  GrantFullControl?: string;
  /** The whole ACL as a body instead of headers. */
  AccessControlPolicy?: ObjectAccessControlPolicy;
}

export interface GetObjectAclResult extends ObjectAccessControlPolicy, HeaderResponse {
  /** The canned ACL, as the Python SDK derives it: `default` from the `x-cos-acl` header, else `public-read` or `private` from the grants. */
  CannedACL: 'default' | 'private' | 'public-read';
}

const GRANT_PARAMS = {
  GrantRead: 'x-cos-grant-read',
  GrantReadAcp: 'x-cos-grant-read-acp',
  GrantWriteAcp: 'x-cos-grant-write-acp',
  GrantFullControl: 'x-cos-grant-full-control',
} as const satisfies Record<string, keyof typeof GRANT_HEADER_PERMISSIONS>;

/**
 * PUT Object acl: replaces the object's ACL with the canned `ACL`, the `Grant*` headers or the
 * `AccessControlPolicy` body (headers and body are exclusive, as COS requires).
 */
export async function putObjectAcl(t: Transport, p: PutObjectAclParams): Promise<HeaderResponse> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  if (p.ACL !== undefined && !(OBJECT_ACLS as readonly string[]).includes(p.ACL)) {
    throw invalidArgument(`ACL must be one of ${OBJECT_ACLS.join(', ')} for an object; got "${p.ACL}".`);
  }
  const grantGiven = Object.keys(GRANT_PARAMS).filter(
    (name) => p[name as keyof typeof GRANT_PARAMS] !== undefined,
  );
  for (const name of grantGiven) {
    const header = GRANT_PARAMS[name as keyof typeof GRANT_PARAMS];
    const parsed = parseGrantHeader(header, String(p[name as keyof typeof GRANT_PARAMS]));
    if ('problem' in parsed) throw invalidArgument(`${name}: ${parsed.problem.message}`);
  }
  let xml: XmlRequestBody | undefined;
  if (p.AccessControlPolicy !== undefined) {
    if (p.ACL !== undefined || grantGiven.length > 0) {
      throw invalidArgument(
        'Give the ACL either as ACL/Grant* parameters or as AccessControlPolicy, not both.',
      );
    }
    const policy = p.AccessControlPolicy;
    if (!policy?.Owner?.ID || !Array.isArray(policy.AccessControlList?.Grant)) {
      throw invalidArgument(
        'AccessControlPolicy must be { Owner: { ID, DisplayName }, AccessControlList: { Grant: [...] } }.',
      );
    }
    xml = xmlBody(
      buildAccessControlPolicy({
        Owner: { ID: policy.Owner.ID, DisplayName: policy.Owner.DisplayName ?? '' },
        AccessControlList: policy.AccessControlList.Grant,
      }),
    );
  } else if (p.ACL === undefined && grantGiven.length === 0) {
    throw invalidArgument('putObjectAcl needs ACL, a Grant* parameter or AccessControlPolicy.');
  }
  const headers = headersFrom(p as unknown as Record<string, unknown>, ['ACL', ...Object.keys(GRANT_PARAMS)]);
  if (xml) Object.assign(headers, xml.headers);
  const r = await t.send({
    method: 'PUT',
    bucket,
    key,
    query: { acl: '', versionId: p.VersionId },
    headers,
    body: xml?.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}

/** GET Object acl: the owner, every grant, and the canned ACL they amount to. */
export async function getObjectAcl(t: Transport, p: ObjectAclTarget): Promise<GetObjectAclResult> {
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { acl: '', versionId: p.VersionId },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  const policy = parseOrThrow(() => parseAccessControlPolicy(r.body));
  const canned =
    r.headers['x-cos-acl'] === 'default'
      ? 'default'
      : grantsPublicRead(policy.AccessControlList)
        ? 'public-read'
        : 'private';
  return {
    Owner: policy.Owner,
    AccessControlList: { Grant: policy.AccessControlList },
    CannedACL: canned,
    ...headerResponse(r),
  };
}
