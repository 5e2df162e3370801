/**
 * The `x-cos-copy-source` header of PUT Object - Copy and Upload Part - Copy:
 * `<bucket>-<appid>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=<id>]` (doc 10881).
 * The client formats it, the server reads it; both use this file.
 */
import { decodeComponent, encodeKeyPath } from './url-encoding.js';

/** A parsed copy source. */
export interface CopySourceRef {
  /** `<BucketName>-<APPID>`. */
  readonly bucket: string;
  readonly region: string;
  /** Decoded object key (no leading `/`). */
  readonly key: string;
  /** The `versionId` the source names, if any. */
  readonly versionId: string | undefined;
}

// Hosts of the SDKs' getSourceParams: cos / cos-internal / cosv6 / cos-cdc, on myqcloud.com or
// tencentcos.cn; a scheme is tolerated because some users paste whole URLs.
const COPY_SOURCE =
  /^(?:https?:\/\/)?([a-z0-9-]+-\d+)\.cos(?:-internal|v6|-cdc)?\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)\/([^?]+)(?:\?versionId=([^&]*))?$/;

/**
 * Reads an `x-cos-copy-source` value. The key is percent-decoded; the official Node SDK passes the
 * user's string through unencoded, so a key without `%` escapes reads as itself.
 *
 * @returns `undefined` when the value is not of the documented form or the key is empty or
 *   malformed percent-encoding (the server answers 400 `InvalidCopySource`).
 */
export function parseCopySource(value: string): CopySourceRef | undefined {
  const m = COPY_SOURCE.exec(value.trim());
  if (!m) return undefined;
  const key = decodeComponent(m[3]!);
  const versionId = m[4] === undefined ? undefined : decodeComponent(m[4]);
  if (key === undefined || key === '' || (m[4] !== undefined && versionId === undefined)) return undefined;
  return { bucket: m[1]!, region: m[2]!, key, versionId: versionId === '' ? undefined : versionId };
}

/**
 * The `x-cos-copy-source` value for a source object, as the Python SDK builds it: the key
 * path-encoded (`/` kept) without leading slashes, and `?versionId=` when a version is named.
 */
export function formatCopySource(source: {
  readonly Bucket: string;
  readonly Region: string;
  readonly Key: string;
  readonly VersionId?: string;
}): string {
  const version = source.VersionId ? `?versionId=${encodeURIComponent(source.VersionId)}` : '';
  return `${source.Bucket}.cos.${source.Region}.myqcloud.com/${encodeKeyPath(source.Key.replace(/^\/+/, ''))}${version}`;
}

// S3's form: `[/]<bucket>/<url-encoded key>[?versionId=<id>]` (CopyObject, UploadPartCopy).
const S3_COPY_SOURCE = /^\/?([^/?]+)\/([^?]+)(?:\?versionId=([^&]*))?$/;

/**
 * Reads an `x-amz-copy-source` value of the S3 dialect: `<bucket>/<key>` with the key URL-encoded,
 * one optional leading `/` and `?versionId=`. The source is in this server, so its region is the
 * request's (`region`).
 *
 * @returns `undefined` when the value is not of that form or its percent-encoding is malformed.
 */
export function parseS3CopySource(value: string, region: string): CopySourceRef | undefined {
  const m = S3_COPY_SOURCE.exec(value.trim());
  if (!m) return undefined;
  const bucket = decodeComponent(m[1]!);
  const key = decodeComponent(m[2]!);
  const versionId = m[3] === undefined ? undefined : decodeComponent(m[3]);
  if (
    bucket === undefined ||
    key === undefined ||
    key === '' ||
    (m[3] !== undefined && versionId === undefined)
  ) {
    return undefined;
  }
  return { bucket, region, key, versionId: versionId === '' ? undefined : versionId };
}
