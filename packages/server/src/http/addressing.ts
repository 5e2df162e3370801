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

/** The parts of a request target (RFC 9112 §3.2) the server reads. */
export interface RequestTarget {
  /** The host the request addresses: the absolute-form authority, else the Host header. */
  readonly host: string | undefined;
  /** Raw (still percent-encoded) path, starting with `/`. */
  readonly rawPath: string;
  /** Raw query without `?` ('' when absent). */
  readonly rawQuery: string;
}

// absolute-form: scheme "://" authority path-abempty [ "?" query ]
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/;

/**
 * Splits a request target. Origin form (`/key?query`) takes the host from the Host header. The
 * absolute form that HTTP clients send through a proxy setting (`PUT http://<bucket>.cos.<region>
 * .myqcloud.com/key HTTP/1.1`, coscmd with `HTTP_PROXY`) is accepted as RFC 9112 §3.2.2 says: its
 * authority *is* the host (for addressing and for the signed `host` header) and the Host header
 * is ignored; an empty path is `/`. Anything else is `400 InvalidURI`.
 */
export function parseRequestTarget(url: string, hostHeader: string | undefined): RequestTarget {
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    return {
      host: hostHeader,
      rawPath: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
    };
  }
  const m = ABSOLUTE_FORM.exec(url);
  // userinfo ("user@host") is deprecated for http(s) and never names a COS host.
  if (!m || m[1] === '' || m[1]!.includes('@')) {
    throw new CosHttpError('InvalidURI', 'The request target must be "/<key>" or "http://<host>/<key>".');
  }
  return { host: m[1], rawPath: m[2] || '/', rawQuery: m[3] ?? '' };
}

/** A `.` or `..` path segment, also with its dots percent-encoded (`%2E` is an unreserved `.`). */
const DOT_SEGMENT = /^(?:\.|%2e)$/i;
const DOT_DOT_SEGMENT = /^(?:\.|%2e){2}$/i;

/**
 * Removes `.` and `..` segments from a raw key path (RFC 3986 §5.2.4), before percent-decoding:
 * COS resolves them, so `/./` and `/a/..` address the bucket, not an object — the reason both
 * official SDKs refuse GET Object for keys that simplify to `/`. `.%2F` (the Python SDK's way of
 * keeping a literal `./` in a key) is not a dot segment and stays. `..` never climbs above the
 * bucket.
 */
export function removeDotSegments(rawPath: string): string {
  const out: string[] = [];
  const segments = rawPath.split('/').slice(1);
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (DOT_SEGMENT.test(segment)) {
      if (last) out.push('');
    } else if (DOT_DOT_SEGMENT.test(segment)) {
      out.pop();
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return `/${out.join('/')}`;
}

function decodeKey(rawKeyPath: string): string {
  const key = decodeComponent(removeDotSegments(rawKeyPath).slice(1));
  if (key === undefined) throw new CosHttpError('InvalidURI');
  // COS doc 13324: a key never starts with "/" (the SDKs strip one; `PUT ///x` would store a key
  // that no SDK call can name again).
  if (key.startsWith('/')) {
    throw new CosHttpError(
      'InvalidObjectName',
      'An object key must not start with "/": send the path as "/<key>" with exactly one leading slash.',
    );
  }
  return key;
}

export function resolveAddress(hostHeader: string | undefined, rawPath: string): Address {
  if (!rawPath.startsWith('/') || decodeComponent(rawPath) === undefined)
    throw new CosHttpError('InvalidURI');
  const host = hostWithoutPort(hostHeader ?? '');
  const cos = COS_HOST.exec(host);
  const local = cos ? undefined : LOCALHOST_BUCKET.exec(host);
  const vhostBucket = cos?.[1] ?? local?.[1];
  if (vhostBucket) {
    const key = decodeKey(rawPath);
    return { bucket: vhostBucket, key, region: cos?.[2], signedPaths: [`/${key}`] };
  }
  const slash = rawPath.indexOf('/', 1);
  const bucket = decodeComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  if (bucket === undefined) throw new CosHttpError('InvalidURI');
  if (bucket === '') return { bucket: undefined, key: '', region: undefined, signedPaths: ['/'] };
  const key = slash < 0 ? '' : decodeKey(rawPath.slice(slash));
  return { bucket, key, region: undefined, signedPaths: [`/${key}`, `/${bucket}/${key}`] };
}
