/** Pre-signed URLs: a URL anyone can use until it expires (the token is included for temporary keys). */
import { presignQuery } from '@coskit/protocol';
import { targetOf } from '../endpoint.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey, requirePartNumber, requireUploadId } from '../validation.js';

export interface PresignedUrlParams {
  Bucket: string;
  Key: string;
  /** HTTP method the URL is for. Default `GET` (`PUT` with {@link UploadId}). */
  Method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  /** Seconds the URL stays valid. Default 3600. */
  Expired?: number;
  /** Extra query parameters, signed (e.g. `response-content-disposition`). */
  Params?: Record<string, string>;
  /**
   * A URL for one Upload Part (with `Method: 'PUT'` and {@link PartNumber}): `uploadId` and
   * `partNumber` go inside the signature, so the URL uploads that part and nothing else — what a
   * backend hands a page that holds no key.
   */
  UploadId?: string;
  /** 1–10000, with {@link UploadId}. */
  PartNumber?: number;
}

export async function getPresignedUrl(t: Transport, p: PresignedUrlParams): Promise<string> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const expires = p.Expired ?? 3600;
  if (!Number.isInteger(expires) || expires <= 0)
    throw invalidArgument(`Expired must be a positive number of seconds; got ${p.Expired}.`);
  const target = targetOf(t.config, bucket, key, t.platform.controlsConnection !== false);
  const params: Record<string, string> = { ...p.Params };
  if (p.UploadId !== undefined || p.PartNumber !== undefined) {
    if (p.UploadId === undefined || p.PartNumber === undefined)
      throw invalidArgument('a pre-signed Upload Part URL needs both UploadId and PartNumber.');
    params['partNumber'] = String(requirePartNumber(p.PartNumber));
    params['uploadId'] = requireUploadId(p.UploadId);
  }
  const method = p.Method ?? (p.UploadId !== undefined ? 'PUT' : 'GET');
  const extra = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const base = `${t.config.scheme}://${target.host}${target.path}`;
  const signing = await t.authorizer.signing({
    method,
    bucket,
    key,
    pathname: target.signedPath,
    query: { ...params },
    headers: { host: target.host },
  });
  if (signing.kind === 'authorization') {
    // A backend's q-sign Authorization works as the URL's query (COS reads the same fields there).
    const fields = signing.authorization
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(pair.slice(eq + 1))}`;
      })
      .join('&');
    const token = signing.token ? `&x-cos-security-token=${encodeURIComponent(signing.token)}` : '';
    return `${base}?${fields}${token}${extra ? `&${extra}` : ''}`;
  }
  const c = signing.keys;
  const now = Date.now() + t.clockOffsetMs;
  const start = Math.floor(now / 1000) - 60;
  const signature = presignQuery({
    secretId: c.SecretId,
    secretKey: c.SecretKey,
    method,
    pathname: target.signedPath,
    query: params,
    headers: { host: target.host },
    keyTime: `${start};${start + 60 + expires}`,
    ...(c.Token ? { token: c.Token } : {}),
  });
  // The URL names the signed host even with `IP` set (as both official SDKs do): the signature
  // covers `host`, and a URL on the IP would be sent with a Host that neither matches it nor
  // names the bucket. `IP` only tells this client where to connect. In a browser, which cannot
  // send another Host, a client with `IP` signs for `IP:Port` itself and the URL names that.
  return `${base}?${signature}${extra ? `&${extra}` : ''}`;
}
