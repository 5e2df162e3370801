/**
 * Mapping between the seed's parameter names (`ContentType`, `ACL`, `TrafficLimit`, …) and the
 * wire headers COS expects — one table serving the client (params → request headers) and the
 * server (request headers → stored object metadata → response headers).
 * Source: ../shared/cos-protocol.md §7.3 (Python `cos_comm.maplist`, Node `formatParams`).
 */
import { utf8ByteLength } from './utf8.js';

/** One seed parameter carried as one request header. */
export interface HeaderParam {
  /** The seed's (Python SDK's) parameter name. */
  readonly param: string;
  /** The header name as sent on the wire. */
  readonly header: string;
  /**
   * True when PUT Object / Initiate store the header with the object and HEAD/GET return it.
   */
  readonly stored: boolean;
}

const entry = (param: string, header: string, stored = false): HeaderParam => ({ param, header, stored });

/** Standard HTTP headers the seed exposes as parameters. */
export const STANDARD_HEADER_PARAMS = [
  entry('CacheControl', 'Cache-Control', true),
  entry('ContentDisposition', 'Content-Disposition', true),
  entry('ContentEncoding', 'Content-Encoding', true),
  entry('ContentLanguage', 'Content-Language', true),
  entry('ContentType', 'Content-Type', true),
  entry('Expires', 'Expires', true),
  entry('ContentLength', 'Content-Length'),
  entry('ContentMD5', 'Content-MD5'),
  entry('Expect', 'Expect'),
  entry('Range', 'Range'),
  entry('IfMatch', 'If-Match'),
  entry('IfNoneMatch', 'If-None-Match'),
  entry('IfModifiedSince', 'If-Modified-Since'),
  entry('IfUnmodifiedSince', 'If-Unmodified-Since'),
] as const;

/** COS `x-cos-*` headers the seed exposes as parameters. */
export const COS_HEADER_PARAMS = [
  entry('ACL', 'x-cos-acl', true),
  entry('GrantRead', 'x-cos-grant-read', true),
  entry('GrantWrite', 'x-cos-grant-write', true),
  entry('GrantFullControl', 'x-cos-grant-full-control', true),
  entry('GrantReadAcp', 'x-cos-grant-read-acp', true),
  entry('GrantWriteAcp', 'x-cos-grant-write-acp', true),
  entry('StorageClass', 'x-cos-storage-class', true),
  entry('Tagging', 'x-cos-tagging', true),
  entry('TrafficLimit', 'x-cos-traffic-limit'),
  entry('ForbidOverwrite', 'x-cos-forbid-overwrite'),
  entry('ServerSideEncryption', 'x-cos-server-side-encryption'),
  entry('SSEKMSKeyId', 'x-cos-server-side-encryption-cos-kms-key-id'),
  entry('SSEKMSContext', 'x-cos-server-side-encryption-context'),
  entry('SSECustomerAlgorithm', 'x-cos-server-side-encryption-customer-algorithm'),
  entry('SSECustomerKey', 'x-cos-server-side-encryption-customer-key'),
  entry('SSECustomerKeyMD5', 'x-cos-server-side-encryption-customer-key-MD5'),
  entry('CopySourceRange', 'x-cos-copy-source-range'),
  entry('CopySourceIfMatch', 'x-cos-copy-source-If-Match'),
  entry('CopySourceIfNoneMatch', 'x-cos-copy-source-If-None-Match'),
  entry('CopySourceIfModifiedSince', 'x-cos-copy-source-If-Modified-Since'),
  entry('CopySourceIfUnmodifiedSince', 'x-cos-copy-source-If-Unmodified-Since'),
  entry('MetadataDirective', 'x-cos-metadata-directive'),
  entry('CopySourceSSECustomerAlgorithm', 'x-cos-copy-source-server-side-encryption-customer-algorithm'),
  entry('CopySourceSSECustomerKey', 'x-cos-copy-source-server-side-encryption-customer-key'),
  entry('CopySourceSSECustomerKeyMD5', 'x-cos-copy-source-server-side-encryption-customer-key-MD5'),
] as const;

/** Every parameter → header entry. */
export const HEADER_PARAMS: readonly HeaderParam[] = [...STANDARD_HEADER_PARAMS, ...COS_HEADER_PARAMS];

/** A seed parameter name that maps to a header. */
export type HeaderParamName =
  | (typeof STANDARD_HEADER_PARAMS)[number]['param']
  | (typeof COS_HEADER_PARAMS)[number]['param'];

const BY_PARAM = new Map(HEADER_PARAMS.map((e) => [e.param, e]));
const BY_LOWER_HEADER = new Map(HEADER_PARAMS.map((e) => [e.header.toLowerCase(), e]));

/** The header for a seed parameter name, or undefined. */
export function headerForParam(param: string): string | undefined {
  return BY_PARAM.get(param)?.header;
}

/** The seed parameter name for a header (any case), or undefined. */
export function paramForHeader(header: string): string | undefined {
  return BY_LOWER_HEADER.get(header.toLowerCase())?.param;
}

/** Prefix of user metadata headers. */
export const USER_METADATA_PREFIX = 'x-cos-meta-';

/** The `x-cos-*` response headers coskit emits, spelled as the Python SDK indexes them. */
export const RESPONSE_HEADERS = {
  requestId: 'x-cos-request-id',
  traceId: 'x-cos-trace-id',
  crc64: 'x-cos-hash-crc64ecma',
  versionId: 'x-cos-version-id',
  nextAppendPosition: 'x-cos-next-append-position',
  objectType: 'x-cos-object-type',
  storageClass: 'x-cos-storage-class',
  copySourceVersionId: 'x-cos-copy-source-version-id',
  bucketRegion: 'x-cos-bucket-region',
  /** HEAD/GET Object: how many tags the object has (absent when none). */
  taggingCount: 'x-cos-tagging-count',
  /** DELETE Object on a versioned bucket, and GET/HEAD of a delete marker: `true`. */
  deleteMarker: 'x-cos-delete-marker',
  /** HEAD Object of an ARCHIVE/DEEP_ARCHIVE object once a restore was asked for (see `restore.ts`). */
  restore: 'x-cos-restore',
  /** Echoed by PUT/Initiate/Complete/Copy/HEAD/GET when the object is stored encrypted. */
  serverSideEncryption: 'x-cos-server-side-encryption',
  sseCustomerAlgorithm: 'x-cos-server-side-encryption-customer-algorithm',
  sseCustomerKeyMD5: 'x-cos-server-side-encryption-customer-key-MD5',
  /** GET Object acl: the canned ACL the object was given (`default` when it inherits the bucket's). */
  acl: 'x-cos-acl',
} as const;

/** Request headers with meaning beyond the table (signature, copy source, token). */
export const REQUEST_HEADERS = {
  securityToken: 'x-cos-security-token',
  copySource: 'x-cos-copy-source',
  sdkRetry: 'x-cos-sdk-retry',
  /** `Copy` (default) or `Replaced`: see {@link METADATA_DIRECTIVES}. */
  metadataDirective: 'x-cos-metadata-directive',
  /** `true` refuses to replace an existing key (409 `FileAlreadyExists`); anything else is ignored. */
  forbidOverwrite: 'x-cos-forbid-overwrite',
  /** URL-encoded `k=v&k2=v2` (see `tagging.ts`). */
  tagging: 'x-cos-tagging',
  /** PUT Object - Copy: `Copy` the source's tags or `Replaced` by the request's (S3's `x-amz-tagging-directive`). */
  taggingDirective: 'x-cos-tagging-directive',
  acl: 'x-cos-acl',
  serverSideEncryption: 'x-cos-server-side-encryption',
  sseCustomerAlgorithm: 'x-cos-server-side-encryption-customer-algorithm',
  sseCustomerKey: 'x-cos-server-side-encryption-customer-key',
  sseCustomerKeyMD5: 'x-cos-server-side-encryption-customer-key-MD5',
  copySourceSseCustomerAlgorithm: 'x-cos-copy-source-server-side-encryption-customer-algorithm',
  copySourceSseCustomerKey: 'x-cos-copy-source-server-side-encryption-customer-key',
  copySourceSseCustomerKeyMD5: 'x-cos-copy-source-server-side-encryption-customer-key-MD5',
} as const;

/** The four `x-cos-copy-source-If-*` conditions of PUT Object - Copy and Upload Part - Copy (lower case). */
export const COPY_SOURCE_CONDITION_HEADERS = {
  ifMatch: 'x-cos-copy-source-if-match',
  ifNoneMatch: 'x-cos-copy-source-if-none-match',
  ifModifiedSince: 'x-cos-copy-source-if-modified-since',
  ifUnmodifiedSince: 'x-cos-copy-source-if-unmodified-since',
} as const;

/**
 * `x-cos-metadata-directive` values. `Copy` keeps the source's metadata and ignores the request's;
 * `Replaced` takes the request's. Any other value is 400 `InvalidArgument`.
 */
export const METADATA_DIRECTIVES = ['Copy', 'Replaced'] as const;
export type MetadataDirective = (typeof METADATA_DIRECTIVES)[number];

/** The one server-side encryption algorithm COS offers, for SSE-COS and SSE-C alike. */
export const SSE_ALGORITHM = 'AES256';

/** The value of `x-cos-forbid-overwrite` that forbids an overwrite (case-insensitive). */
export function forbidsOverwrite(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/** Standard and COS headers a stored object carries (lower-case names), in response order. */
export const STORED_OBJECT_HEADERS: readonly string[] = HEADER_PARAMS.filter((e) => e.stored).map((e) =>
  e.header.toLowerCase(),
);

/** Storage classes COS accepts on upload (`x-cos-storage-class`). */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'INTELLIGENT_TIERING',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** Canned ACLs on objects (`x-cos-acl`). */
export const OBJECT_ACLS = ['default', 'private', 'public-read'] as const;
/** Canned ACLs on buckets (`x-cos-acl`). */
export const BUCKET_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;

/**
 * Turns the seed's parameters into request headers: every parameter in the table that is set,
 * then `Metadata` entries verbatim (their names must already start with `x-cos-meta-`; checking
 * that is the caller's validation). Values are stringified; undefined/null are skipped.
 */
export function paramsToHeaders(
  params: Readonly<Record<string, unknown>>,
  allowed: readonly string[] = [...BY_PARAM.keys()],
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of allowed) {
    const value = params[name];
    const header = BY_PARAM.get(name)?.header;
    if (header && value !== undefined && value !== null) headers[header] = String(value);
  }
  const metadata = params['Metadata'];
  if (metadata && typeof metadata === 'object') {
    for (const [k, v] of Object.entries(metadata as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
  }
  return headers;
}

/** Total size of user metadata as COS counts it: UTF-8 bytes of names (without prefix) and values. */
export function userMetadataBytes(headers: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(USER_METADATA_PREFIX)) {
      total += utf8ByteLength(lower.slice(USER_METADATA_PREFIX.length)) + utf8ByteLength(value);
    }
  }
  return total;
}
