/**
 * The S3 dialect's names for what COS spells `x-cos-*`: one table, read in both directions. A request
 * signed with AWS SigV4 says `x-amz-meta-color` or `x-amz-storage-class` where a q-sign request says
 * `x-cos-meta-color` or `x-cos-storage-class`; both land on the same stored metadata, and each is
 * answered in the dialect it spoke. Also here: the S3 error codes where COS's differ, S3's XML
 * namespace, and the S3 form of `<Error>` bodies. Sources: the S3 API reference (PutObject, CopyObject,
 * UploadPartCopy, "Error responses") and COS's "使用 AWS S3 SDK 访问 COS" compatibility page.
 */
import { COS_ERRORS, type CosErrorCode, isCosErrorCode } from './errors.js';
import { escapeXmlText, XML_DECLARATION } from './xml/build.js';

/** One `x-amz-*` ↔ `x-cos-*` correspondence (lower-case names). */
export interface S3HeaderEquivalent {
  readonly amz: string;
  readonly cos: string;
  /** `prefix`: every header starting with `amz` (`x-amz-meta-` → `x-cos-meta-`). */
  readonly kind: 'exact' | 'prefix';
  /** Which way it is used: in requests, in responses, or both. */
  readonly direction: 'request' | 'response' | 'both';
  /** Request values S3 spells differently (upper-cased S3 value → COS value); others pass as sent. */
  readonly values?: Readonly<Record<string, string>>;
}

const both = (amz: string, cos: string, kind: 'exact' | 'prefix' = 'exact'): S3HeaderEquivalent => ({
  amz,
  cos,
  kind,
  direction: 'both',
});
const request = (amz: string, cos: string): S3HeaderEquivalent => ({
  amz,
  cos,
  kind: 'exact',
  direction: 'request',
});
const response = (amz: string, cos: string): S3HeaderEquivalent => ({
  amz,
  cos,
  kind: 'exact',
  direction: 'response',
});

/**
 * Every header the two dialects name differently. Headers of neither list keep their name in both
 * dialects (`x-cos-hash-crc64ecma` is answered to S3 clients too: S3 has no CRC-64/ECMA, and the
 * cross-dialect check relies on it; `x-amz-checksum-*` and `x-amz-content-sha256` are S3's own).
 */
export const S3_HEADER_EQUIVALENTS: readonly S3HeaderEquivalent[] = [
  both('x-amz-meta-', 'x-cos-meta-', 'prefix'),
  both('x-amz-storage-class', 'x-cos-storage-class'),
  both('x-amz-tagging-count', 'x-cos-tagging-count'),
  both('x-amz-version-id', 'x-cos-version-id'),
  both('x-amz-delete-marker', 'x-cos-delete-marker'),
  both('x-amz-restore', 'x-cos-restore'),
  both('x-amz-server-side-encryption', 'x-cos-server-side-encryption'),
  both('x-amz-server-side-encryption-aws-kms-key-id', 'x-cos-server-side-encryption-cos-kms-key-id'),
  both('x-amz-server-side-encryption-context', 'x-cos-server-side-encryption-context'),
  both('x-amz-server-side-encryption-customer-algorithm', 'x-cos-server-side-encryption-customer-algorithm'),
  both('x-amz-server-side-encryption-customer-key-md5', 'x-cos-server-side-encryption-customer-key-md5'),
  both('x-amz-copy-source-version-id', 'x-cos-copy-source-version-id'),
  request('x-amz-acl', 'x-cos-acl'),
  request('x-amz-grant-read', 'x-cos-grant-read'),
  request('x-amz-grant-write', 'x-cos-grant-write'),
  request('x-amz-grant-read-acp', 'x-cos-grant-read-acp'),
  request('x-amz-grant-write-acp', 'x-cos-grant-write-acp'),
  request('x-amz-grant-full-control', 'x-cos-grant-full-control'),
  request('x-amz-tagging', 'x-cos-tagging'),
  {
    ...request('x-amz-tagging-directive', 'x-cos-tagging-directive'),
    values: { COPY: 'Copy', REPLACE: 'Replaced' },
  },
  {
    ...request('x-amz-metadata-directive', 'x-cos-metadata-directive'),
    values: { COPY: 'Copy', REPLACE: 'Replaced' },
  },
  request('x-amz-server-side-encryption-customer-key', 'x-cos-server-side-encryption-customer-key'),
  request('x-amz-copy-source', 'x-cos-copy-source'),
  request('x-amz-copy-source-range', 'x-cos-copy-source-range'),
  request('x-amz-copy-source-if-match', 'x-cos-copy-source-if-match'),
  request('x-amz-copy-source-if-none-match', 'x-cos-copy-source-if-none-match'),
  request('x-amz-copy-source-if-modified-since', 'x-cos-copy-source-if-modified-since'),
  request('x-amz-copy-source-if-unmodified-since', 'x-cos-copy-source-if-unmodified-since'),
  request(
    'x-amz-copy-source-server-side-encryption-customer-algorithm',
    'x-cos-copy-source-server-side-encryption-customer-algorithm',
  ),
  request(
    'x-amz-copy-source-server-side-encryption-customer-key',
    'x-cos-copy-source-server-side-encryption-customer-key',
  ),
  request(
    'x-amz-copy-source-server-side-encryption-customer-key-md5',
    'x-cos-copy-source-server-side-encryption-customer-key-md5',
  ),
  response('x-amz-request-id', 'x-cos-request-id'),
  response('x-amz-id-2', 'x-cos-trace-id'),
  response('x-amz-bucket-region', 'x-cos-bucket-region'),
];

const inDirection = (d: 'request' | 'response') =>
  S3_HEADER_EQUIVALENTS.filter((e) => e.direction === d || e.direction === 'both');
const REQUEST_TABLE = inDirection('request');
const RESPONSE_TABLE = inDirection('response');

function entryFor(
  table: readonly S3HeaderEquivalent[],
  lower: string,
  from: 'amz' | 'cos',
): S3HeaderEquivalent | undefined {
  return table.find((e) =>
    e.kind === 'exact' ? lower === e[from] : lower.startsWith(e[from]) && lower.length > e[from].length,
  );
}

function translate(
  table: readonly S3HeaderEquivalent[],
  name: string,
  from: 'amz' | 'cos',
  to: 'amz' | 'cos',
): string | undefined {
  const lower = name.toLowerCase();
  const e = entryFor(table, lower, from);
  return e && e[to] + lower.slice(e[from].length);
}

/**
 * The value an `x-cos-*` request header has when its `x-amz-*` twin carries `amzValue`: the same text,
 * except where S3 spells a value differently (`x-amz-metadata-directive: REPLACE` is COS's `Replaced`).
 */
export function cosRequestValueFor(cosName: string, amzValue: string): string {
  const values = entryFor(REQUEST_TABLE, cosName.toLowerCase(), 'cos')?.values;
  return values?.[amzValue.trim().toUpperCase()] ?? amzValue;
}

/** The `x-cos-*` name an `x-amz-*` request header stands for (`x-amz-meta-a` → `x-cos-meta-a`), or undefined. */
export function cosRequestHeaderFor(amzName: string): string | undefined {
  return translate(REQUEST_TABLE, amzName, 'amz', 'cos');
}

/** The `x-amz-*` request header that carries an `x-cos-*` one in the S3 dialect, or undefined when S3 has none. */
export function amzRequestHeaderFor(cosName: string): string | undefined {
  return translate(REQUEST_TABLE, cosName, 'cos', 'amz');
}

/** The name an `x-cos-*` response header has in the S3 dialect, or undefined when it keeps its own. */
export function amzResponseHeaderFor(cosName: string): string | undefined {
  return translate(RESPONSE_TABLE, cosName, 'cos', 'amz');
}

/**
 * COS codes S3 names differently; every other code is the same word in both dialects. The rest of
 * COS's registry already uses S3's names (NoSuchKey, PreconditionFailed, EntityTooSmall, …).
 */
export const S3_ERROR_CODES: Readonly<Partial<Record<CosErrorCode, string>>> = {
  ListPartUploadIdIsEmpty: 'InvalidArgument',
  BucketVersionNotOpen: 'InvalidRequest',
  PathConflict: 'InvalidRequest',
  AppendPositionErr: 'InvalidRequest',
  ObjectNotAppendable: 'InvalidRequest',
};

/** The S3 code for a COS code. */
export function s3ErrorCode(code: string): string {
  return (isCosErrorCode(code) ? S3_ERROR_CODES[code] : undefined) ?? code;
}

/** The namespace of S3's result documents (`ListBucketResult`, `InitiateMultipartUploadResult`, …). */
export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** S3's XML declaration. */
export const S3_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * A server body in S3's form: S3's declaration, and S3's namespace on the root element unless it
 * declares a default namespace already. `<Error>` roots stay without one, as S3 sends them.
 */
export function toS3Document(xml: string): string {
  const declaration = [XML_DECLARATION, S3_XML_DECLARATION].find((d) => xml.startsWith(d));
  const body = declaration === undefined ? xml : xml.slice(declaration.length);
  const root = /^<([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/.exec(body);
  if (!root || root[1] === 'Error' || /\sxmlns=/.test(root[2]!)) return S3_XML_DECLARATION + body;
  return `${S3_XML_DECLARATION}<${root[1]} xmlns="${S3_XML_NAMESPACE}"${root[2]}${root[3]}>${body.slice(root[0].length)}`;
}

/** What an S3 `<Error>` carries. */
export interface S3ErrorBody {
  /** A COS code; written as its S3 name ({@link s3ErrorCode}). */
  readonly code: string;
  readonly message?: string | undefined;
  /** The path the request addressed, `/<bucket>/<key>`. */
  readonly resource: string;
  readonly requestId: string;
  /** Further children in order (`Region`, `HeadersNotSigned`, `StringToSign`, …). */
  readonly extra?: Readonly<Record<string, string>> | undefined;
}

/**
 * S3's `<Error>`: `Code`, `Message`, `Resource`, `RequestId`, then the extras. Values must already be
 * XML text (the server replaces what XML cannot carry before calling this).
 */
export function buildS3ErrorBody(e: S3ErrorBody): string {
  const message = e.message || (isCosErrorCode(e.code) ? COS_ERRORS[e.code].message : e.code);
  const children: [string, string][] = [
    ['Code', s3ErrorCode(e.code)],
    ['Message', message],
    ['Resource', e.resource],
    ['RequestId', e.requestId],
    ...Object.entries(e.extra ?? {}),
  ];
  // An extra never repeats a standard element (first one wins).
  const byName = new Map<string, string>();
  for (const [name, value] of children) if (!byName.has(name)) byName.set(name, value);
  const xml = [...byName].map(([name, value]) => `<${name}>${escapeXmlText(value, name)}</${name}>`).join('');
  return `${S3_XML_DECLARATION}<Error>${xml}</Error>`;
}
