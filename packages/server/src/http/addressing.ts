/**
 * Finds the bucket and key of a request. Virtual-host style when the Host names a bucket
 * (`<bucket>.cos.<region>.myqcloud.com`, `.tencentcos.cn`, `<bucket>.localhost`); path style
 * (`/<bucket>/<key>`) when the Host is an IP address or a plain name.
 */
import { decodeComponent } from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';

export interface Address {
  /** Undefined for service-level requests (`GET /` on a plain host). */
  readonly bucket: string | undefined;
  /** Decoded object key; '' for bucket-level requests. */
  readonly key: string;
  /** Region named by the Host, if any. */
  readonly region: string | undefined;
  /**
   * Decoded paths a signature may cover, tried in order: `/` + key, and for path-style requests
   * also `/<bucket>/<key>` (the form the old path-style SDKs signed).
   */
  readonly signedPaths: readonly string[];
}

const COS_HOST = /^([^.]+)\.cos(?:-internal|v6|-cdc)?\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)$/;
const LOCALHOST_BUCKET = /^([^.]+)\.localhost$/;

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase();
}

export function resolveAddress(hostHeader: string | undefined, rawPath: string): Address {
  const path = decodeComponent(rawPath);
  if (path === undefined || !path.startsWith('/')) throw new CosHttpError('InvalidURI');
  const host = hostWithoutPort(hostHeader ?? '');
  const cos = COS_HOST.exec(host);
  const local = cos ? undefined : LOCALHOST_BUCKET.exec(host);
  const vhostBucket = cos?.[1] ?? local?.[1];
  if (vhostBucket) {
    const key = path.slice(1);
    return { bucket: vhostBucket, key, region: cos?.[2], signedPaths: [path] };
  }
  const rest = path.slice(1);
  if (rest === '') return { bucket: undefined, key: '', region: undefined, signedPaths: ['/'] };
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  return { bucket, key, region: undefined, signedPaths: [`/${key}`, path] };
}
