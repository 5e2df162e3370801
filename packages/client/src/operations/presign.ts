/** Pre-signed URLs: a URL anyone can use until it expires (the token is included for temporary keys). */
import { presignQuery } from '@coskit/protocol';
import type { Credentials } from '../config.js';
import { targetOf } from '../endpoint.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';

export interface PresignedUrlParams {
  Bucket: string;
  Key: string;
  /** HTTP method the URL is for. Default `GET`. */
  Method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  /** Seconds the URL stays valid. Default 3600. */
  Expired?: number;
  /** Extra query parameters, signed (e.g. `response-content-disposition`). */
  Params?: Record<string, string>;
}

export async function getPresignedUrl(
  t: Transport,
  creds: () => Promise<Credentials>,
  p: PresignedUrlParams,
): Promise<string> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const expires = p.Expired ?? 3600;
  if (!Number.isInteger(expires) || expires <= 0)
    throw invalidArgument(`Expired must be a positive number of seconds; got ${p.Expired}.`);
  const c = await creds();
  const target = targetOf(t.config, bucket, key, t.platform.controlsConnection !== false);
  const params = p.Params ?? {};
  const now = Date.now() + t.clockOffsetMs;
  const start = Math.floor(now / 1000) - 60;
  const signature = presignQuery({
    secretId: c.SecretId,
    secretKey: c.SecretKey,
    method: p.Method ?? 'GET',
    pathname: target.signedPath,
    query: params,
    headers: { host: target.host },
    keyTime: `${start};${start + 60 + expires}`,
    ...(c.Token ? { token: c.Token } : {}),
  });
  const extra = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  // The URL names the signed host even with `IP` set (as both official SDKs do): the signature
  // covers `host`, and a URL on the IP would be sent with a Host that neither matches it nor
  // names the bucket. `IP` only tells this client where to connect. In a browser, which cannot
  // send another Host, a client with `IP` signs for `IP:Port` itself and the URL names that.
  return `${t.config.scheme}://${target.host}${target.path}?${signature}${extra ? `&${extra}` : ''}`;
}
