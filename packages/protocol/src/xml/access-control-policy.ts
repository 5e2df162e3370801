/**
 * The `<AccessControlPolicy>` body of GET Object acl's answer and of a PUT Object acl request
 * (docs 7744, 7748). Grantees carry `xsi:type="CanonicalUser"` (ID, DisplayName) or
 * `xsi:type="Group"` (URI only: the Python SDK recognises public-read by comparing the whole
 * Grantee with `{Type: Group, URI: …AllUsers}`).
 */
import type { AclGrant, AclGrantee } from '../acl.js';
import { xmlDocument, xmlOwner, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { childrenNamed, firstChild, readOwner, readString } from './fields.js';
import { parseXmlRoot, type XmlElement } from './parse.js';
import type { CosOwner } from './types.js';

/** An object's ACL as the XML body carries it. */
export interface AccessControlPolicy {
  Owner: CosOwner;
  /** The grants of `<AccessControlList>`, in document order. */
  AccessControlList: AclGrant[];
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function buildGrantee(grantee: AclGrantee, field: string): string {
  const open = `<Grantee xmlns:xsi="${XSI}" xsi:type="${grantee.Type}">`;
  const children =
    grantee.Type === 'Group'
      ? [xmlText('URI', grantee.URI, `${field}.URI`)]
      : [
          xmlText('ID', grantee.ID, `${field}.ID`),
          xmlText('DisplayName', grantee.DisplayName, `${field}.DisplayName`),
        ];
  return `${open}${children.join('')}</Grantee>`;
}

/**
 * The body, in the order of the COS doc: `Owner` (`ID`, `DisplayName`), then `AccessControlList`
 * with one `Grant` (`Grantee`, `Permission`) per grant. The server answers GET Object acl with it
 * (declaration included); the client sends it as a PUT Object acl body (COS accepts the
 * declaration).
 *
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildAccessControlPolicy(model: AccessControlPolicy): string {
  return xmlDocument(
    xmlParent('AccessControlPolicy', [
      xmlOwner('Owner', model.Owner),
      xmlParent(
        'AccessControlList',
        model.AccessControlList.map((grant, i) =>
          xmlParent('Grant', [
            buildGrantee(grant.Grantee, `Grant[${i}].Grantee`),
            xmlText('Permission', grant.Permission, `Grant[${i}].Permission`),
          ]),
        ),
      ),
    ]),
  );
}

// The reader drops attributes, so the grantee's type is read from a `<Type>` child (what the
// Python SDK's dict-to-XML writes) or inferred: a URI means a group, anything else an account (the
// Node SDK writes `<Grantee><ID>…</ID></Grantee>` without any type).
function readGrantee(grant: XmlElement, index: number): AclGrantee {
  const grantee = firstChild(grant, ['Grantee']);
  if (!grantee) throw new XmlCodecError(`Grant[${index}] has no <Grantee>`);
  const type = readString(grantee, 'Type', 'type').trim();
  const uri = readString(grantee, 'URI').trim();
  if (type === 'Group' || (type === '' && uri !== '')) return { Type: 'Group', URI: uri };
  if (type !== '' && type !== 'CanonicalUser') {
    throw new XmlCodecError(`Grant[${index}].Grantee type must be CanonicalUser or Group, got "${type}"`);
  }
  return {
    Type: 'CanonicalUser',
    ID: readString(grantee, 'ID').trim(),
    DisplayName: readString(grantee, 'DisplayName'),
  };
}

/**
 * Reads the body (either side). Lenient about what SDKs omit — `Owner`, `DisplayName`, the
 * grantee's `xsi:type` — and strict about what makes a grant meaningless: every `<Grant>` needs a
 * `<Grantee>` and a `<Permission>`. Whether the permission and grantee are valid is
 * `checkAclGrants`' question.
 *
 * @throws {@link XmlCodecError} if the root is not `AccessControlPolicy` or a grant is incomplete.
 */
export function parseAccessControlPolicy(xml: string | Uint8Array): AccessControlPolicy {
  const root = parseXmlRoot(xml, 'AccessControlPolicy');
  const list = firstChild(root, ['AccessControlList']);
  return {
    Owner: readOwner(root, 'Owner'),
    AccessControlList: (list ? childrenNamed(list, ['Grant']) : []).map((grant, i): AclGrant => {
      const permission = readString(grant, 'Permission').trim();
      if (permission === '') throw new XmlCodecError(`Grant[${i}] has no <Permission>`);
      return { Grantee: readGrantee(grant, i), Permission: permission };
    }),
  };
}
