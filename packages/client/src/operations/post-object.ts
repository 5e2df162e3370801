/**
 * POST Object (browser form upload) from Node, for tests and scripts, and the policy a backend
 * hands a web page so that the page can upload without holding a key (`buildPostPolicy`).
 */
import {
  buildPostPolicy as buildSignedPolicy,
  crc64,
  crc64ToDecimal,
  type PostPolicyCondition,
} from '@coskit/protocol';
import type { CosConfig } from '../config.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface PostPolicyParams {
  Bucket: string;
  /** Exact key; `${filename}` stands for the uploaded file's name (then the part before it is the bound prefix). */
  Key?: string;
  /** Any key starting with this (when `Key` is not given); '' allows every key. */
  KeyPrefix?: string;
  /** Form fields the page must send with exactly these values (`Content-Type`, `acl`, `x-cos-meta-*`, `success_action_status`…). */
  Fields?: Record<string, string>;
  /** `[min, max]` bytes the file may have. */
  ContentLengthRange?: [number, number];
  /** More policy conditions, as COS writes them (`["starts-with", "$Content-Type", "image/"]`). */
  Conditions?: PostPolicyCondition[];
  /** Seconds the policy stays valid. Default 900. */
  Expires?: number;
}

export interface PostPolicyResult {
  /** Where the page posts the form (the bucket's endpoint). */
  url: string;
  /** Every field to put in the form before the file, in this order (`key`, bound fields, `policy`, `q-*`). */
  fields: Record<string, string>;
}

/** The bucket's URL for a browser: its virtual host, or `IP:port/<bucket>/` against a local server. */
export function postUrlOf(config: CosConfig, bucket: string): string {
  if (config.ip)
    return `${config.scheme}://${config.ip.includes(':') ? `[${config.ip}]` : config.ip}:${config.port}/${bucket}/`;
  if (config.domain) return `${config.scheme}://${config.domain}/`;
  if (config.forcePathStyle) return `${config.scheme}://${config.endpointSuffix}/${bucket}/`;
  return `${config.scheme}://${bucket}.${config.endpointSuffix}/`;
}

/** A signed policy and its fields for a page (no request is made; the keys never leave this process). */
export async function buildPostPolicy(t: Transport, p: PostPolicyParams): Promise<PostPolicyResult> {
  const bucket = requireBucket(p.Bucket);
  if (p.Key === undefined && p.KeyPrefix === undefined)
    throw invalidArgument('buildPostPolicy needs Key or KeyPrefix.');
  if (p.Key !== undefined) requireKey(p.Key);
  const creds = await t.credentials();
  try {
    const { fields } = buildSignedPolicy({
      secretId: creds.SecretId,
      secretKey: creds.SecretKey,
      securityToken: creds.Token || undefined,
      bucket,
      key: p.Key,
      keyPrefix: p.KeyPrefix,
      fields: p.Fields,
      contentLengthRange: p.ContentLengthRange,
      conditions: p.Conditions,
      expires: p.Expires,
      now: () => Date.now() + t.clockOffsetMs,
    });
    return { url: postUrlOf(t.config, bucket), fields };
  } catch (err) {
    if (err instanceof RangeError) throw invalidArgument(err.message);
    throw err;
  }
}

export interface PostObjectParams extends CallOptions {
  Bucket: string;
  /** The key; `${filename}` is replaced by `FileName` on the server. */
  Key: string;
  /** The file's bytes (POST Object is for small, browser-sized files; use putObject/uploadFile for big ones). */
  Body: Uint8Array | string;
  /** The file part's name. Default: the key's last path segment. */
  FileName?: string;
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  /** `x-cos-meta-*` fields, names without the prefix or with it. */
  Metadata?: Record<string, string>;
  ACL?: string;
  StorageClass?: string;
  /** 200, 201 or 204 (default 204). */
  SuccessActionStatus?: 200 | 201 | 204;
  /** Answer 303 to this URL (with bucket, key and etag appended). */
  SuccessActionRedirect?: string;
  ContentLengthRange?: [number, number];
  /** Seconds the policy stays valid. Default 900. */
  PolicyExpires?: number;
  /** Raw form fields, sent and bound by the policy as given. */
  Fields?: Record<string, string>;
}

export interface PostObjectResult extends HeaderResponse {
  ETag: string;
  /** The object's URL, or with SuccessActionRedirect the redirect target. */
  Location: string;
  'x-cos-hash-crc64ecma'?: string;
}

/** The form fields a PostObjectParams stands for (all bound by the policy). */
function formFieldsOf(p: PostObjectParams): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined) fields[name] = String(value);
  };
  put('Content-Type', p.ContentType);
  put('Cache-Control', p.CacheControl);
  put('Content-Disposition', p.ContentDisposition);
  put('Content-Encoding', p.ContentEncoding);
  put('acl', p.ACL);
  put('x-cos-storage-class', p.StorageClass);
  put('success_action_status', p.SuccessActionStatus);
  put('success_action_redirect', p.SuccessActionRedirect);
  for (const [name, value] of Object.entries(p.Metadata ?? {})) {
    put(name.toLowerCase().startsWith('x-cos-meta-') ? name : `x-cos-meta-${name}`, value);
  }
  return { ...fields, ...p.Fields };
}

/** One multipart/form-data body: the fields in order, then the file (COS requires it last). */
function formBody(
  fields: Record<string, string>,
  fileName: string,
  file: Uint8Array,
): { body: Uint8Array; type: string } {
  const random = crypto.getRandomValues(new Uint8Array(12));
  const boundary = `----coskit${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const encoder = new TextEncoder();
  const before = encoder.encode(head);
  const after = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(before.length + file.length + after.length);
  body.set(before, 0);
  body.set(file, before.length);
  body.set(after, before.length + file.length);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads `Body` as a browser form would: a signed policy in the form, no Authorization header. */
export async function postObject(t: Transport, p: PostObjectParams): Promise<PostObjectResult> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  if (typeof p.Body !== 'string' && !(p.Body instanceof Uint8Array))
    throw invalidArgument('postObject Body must be a Buffer, Uint8Array or string.');
  const file = typeof p.Body === 'string' ? new TextEncoder().encode(p.Body) : p.Body;
  const fileName = p.FileName ?? (key.replace(/\/+$/, '').split('/').pop() || 'file');
  const { fields } = await buildPostPolicy(t, {
    Bucket: bucket,
    Key: key,
    Fields: formFieldsOf(p),
    ...(p.ContentLengthRange ? { ContentLengthRange: p.ContentLengthRange } : {}),
    ...(p.PolicyExpires !== undefined ? { Expires: p.PolicyExpires } : {}),
  });
  const { body, type } = formBody(fields, fileName, file);
  const r = await t.send({
    method: 'POST',
    bucket,
    headers: { ...p.Headers, 'content-type': type },
    body,
    unsigned: true,
    signal: p.signal,
    timeout: p.Timeout,
    expectCrc64: t.config.enableCrc ? crc64ToDecimal(crc64(file)) : undefined,
  });
  const result: PostObjectResult = {
    ...headerResponse(r),
    ETag: r.headers['etag'] ?? '',
    Location: r.headers['location'] ?? '',
  };
  const crc = r.headers['x-cos-hash-crc64ecma'];
  if (crc !== undefined) result['x-cos-hash-crc64ecma'] = crc;
  return result;
}
