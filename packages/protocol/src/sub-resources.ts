/**
 * The one table of COS sub-resource names: query parameters that select an API instead of
 * qualifying one (`GET /?acl` is Get Bucket ACL, not List Objects). A server must route every one
 * of them or refuse it — never fall through to the plain bucket/object operation — and a client
 * must sign them (they change what a request does).
 *
 * Sources: the COS XML API index (cloud.tencent.com/document/product/436/7751) and the official
 * SDKs' method tables (cos-python-sdk-v5 `cos_client.py`, cos-nodejs-sdk-v5 `sdk/base.js`).
 */

export const SUB_RESOURCES = [
  // multipart upload and append (implemented by coskit serve)
  'uploads',
  'uploadId',
  'partNumber',
  'append',
  // bucket configuration
  'acl',
  'cors',
  'lifecycle',
  'policy',
  'website',
  'tagging',
  'versioning',
  'versions',
  'location',
  'origin',
  'intelligenttiering',
  'replication',
  'logging',
  'inventory',
  'inventory-ai',
  'domain',
  'domaincertificate',
  'referer',
  'encryption',
  'object-lock',
  'accelerate',
  'notification',
  'metaquery',
  // LiveChannel (RTMP ingest)
  'live',
  'vod',
  // object operations selected by a parameter
  'restore',
  'select',
  'delete',
  'symlink',
  'rename',
  'retention',
  'torrent',
  // S3's GetObjectAttributes (COS has none; the server answers it in the S3 dialect only)
  'attributes',
] as const;

/** A COS sub-resource name (exact case, as it appears in the query). */
export type SubResource = (typeof SUB_RESOURCES)[number];

const BY_NAME: ReadonlySet<string> = new Set(SUB_RESOURCES);

/** Whether a query parameter name (exact case) is a COS sub-resource. */
export function isSubResource(name: string): name is SubResource {
  return BY_NAME.has(name);
}
