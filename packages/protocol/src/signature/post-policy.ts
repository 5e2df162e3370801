/**
 * The POST Object policy (COS API "POST Object", 14690, "签名保护"): a JSON document of an expiration
 * and conditions on the form's fields, sent base64-encoded in the `policy` field and signed with
 * `q-signature = HMAC-SHA1(SignKey, SHA1(policy text))`, `SignKey = HMAC-SHA1(SecretKey, KeyTime)`.
 *
 * Both ends use this file: a backend builds and signs a policy for a page ({@link buildPostPolicy}),
 * the server decodes, verifies and evaluates it ({@link decodePostPolicy}, {@link postPolicySignature},
 * {@link checkPostPolicy}). No I/O, no Node built-ins.
 */
import type { CosErrorCode } from '../errors.js';
import { sha1Hex, signature, signKey } from './keys.js';
import { defaultKeyTime } from './sign.js';

/**
 * A condition: `{ field: value }` or `["eq", "$field", value]` (exact), `["starts-with", "$field",
 * prefix]` (prefix, may be empty), `["content-length-range", min, max]` (bytes of the file).
 */
export type PostPolicyCondition =
  | Readonly<Record<string, string>>
  | readonly ['eq' | 'starts-with', string, string]
  | readonly ['content-length-range', number, number];

export interface PostPolicy {
  /** ISO 8601, e.g. `2019-08-30T09:38:12.414Z`. */
  readonly expiration: string;
  readonly conditions: readonly PostPolicyCondition[];
}

/** A policy that fails: the COS code the server answers and a message saying why. */
export interface PostPolicyProblem {
  readonly code: CosErrorCode;
  readonly message: string;
}

/** The form fields that carry the signature (they come before the file). */
export interface PostPolicySignatureFields {
  policy: string;
  'q-sign-algorithm': 'sha1';
  'q-ak': string;
  'q-key-time': string;
  'q-signature': string;
  /** With temporary keys only. */
  'x-cos-security-token'?: string;
}

export interface PostPolicyInput {
  readonly secretId: string;
  readonly secretKey: string;
  /** STS token of temporary keys: sent as `x-cos-security-token` and bound by a condition. */
  readonly securityToken?: string | undefined;
  /** `<name>-<appid>`: bound by a `{ bucket }` condition. */
  readonly bucket: string;
  /** The exact key (may hold `${filename}`; then bind it with `keyPrefix` instead). */
  readonly key?: string | undefined;
  /** Any key starting with this (a `starts-with` condition); `''` allows every key. */
  readonly keyPrefix?: string | undefined;
  /** Fields the page must send with exactly these values (Content-Type, acl, x-cos-meta-*, success_action_status…). */
  readonly fields?: Readonly<Record<string, string>> | undefined;
  /** Smallest and largest file, bytes. */
  readonly contentLengthRange?: readonly [number, number] | undefined;
  /** More conditions, as written in the policy. */
  readonly conditions?: readonly PostPolicyCondition[] | undefined;
  /** Seconds the policy (and its key time) stays valid. Default 900. */
  readonly expires?: number | undefined;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

export interface BuiltPostPolicy {
  /** Every form field to send before the file: the bound fields, `key` when exact, and the signature. */
  readonly fields: Record<string, string>;
  /** The policy as signed (its JSON text is the base64 of `fields.policy`). */
  readonly policy: PostPolicy;
}

/** `q-signature` of a policy text (the decoded JSON, byte for byte) for a SecretKey and KeyTime. */
export function postPolicySignature(policyText: string, secretKey: string, keyTime: string): string {
  return signature(signKey(secretKey, keyTime), sha1Hex(policyText));
}

/**
 * Builds and signs a policy for a page: the caller hands `fields` to the page, which posts them
 * (then the file) to the bucket. Conditions bind the bucket, the key (exact or by prefix), every
 * given field, the size range and the q-sign fields, as COS recommends ("限定所有可以限定的字段").
 *
 * @throws RangeError for a caller bug: no key and no keyPrefix, a bad range or lifetime.
 */
export function buildPostPolicy(input: PostPolicyInput): BuiltPostPolicy {
  if (input.key === undefined && input.keyPrefix === undefined)
    throw new RangeError('buildPostPolicy needs key or keyPrefix.');
  const expires = input.expires ?? 900;
  if (!Number.isSafeInteger(expires) || expires <= 0)
    throw new RangeError(`expires must be a positive number of seconds; got ${expires}.`);
  const range = input.contentLengthRange;
  if (
    range &&
    !(
      Number.isSafeInteger(range[0]) &&
      Number.isSafeInteger(range[1]) &&
      range[0] >= 0 &&
      range[0] <= range[1]
    )
  )
    throw new RangeError(
      `contentLengthRange must be [min, max] bytes with 0 ≤ min ≤ max; got [${range.join(', ')}].`,
    );
  const now = (input.now ?? Date.now)();
  const keyTime = defaultKeyTime({ startTime: Math.floor(now / 1000), expires, now: () => now });
  const fields: Record<string, string> = { ...input.fields };
  const conditions: PostPolicyCondition[] = [{ bucket: input.bucket }];
  if (input.key !== undefined && !input.key.includes('${filename}')) {
    fields['key'] = input.key;
    conditions.push({ key: input.key });
  } else if (input.key !== undefined) {
    fields['key'] = input.key;
    conditions.push([
      'starts-with',
      '$key',
      input.keyPrefix ?? input.key.slice(0, input.key.indexOf('${filename}')),
    ]);
  } else {
    conditions.push(['starts-with', '$key', input.keyPrefix ?? '']);
  }
  for (const [name, value] of Object.entries(input.fields ?? {})) conditions.push(['eq', `$${name}`, value]);
  if (range) conditions.push(['content-length-range', range[0], range[1]]);
  conditions.push(...(input.conditions ?? []));
  if (input.securityToken !== undefined) conditions.push({ 'x-cos-security-token': input.securityToken });
  conditions.push({ 'q-sign-algorithm': 'sha1' }, { 'q-ak': input.secretId }, { 'q-sign-time': keyTime });
  const policy: PostPolicy = {
    expiration: new Date(Number(keyTime.split(';')[1]) * 1000).toISOString(),
    conditions,
  };
  const text = JSON.stringify(policy);
  const signed: PostPolicySignatureFields = {
    policy: base64OfUtf8(text),
    'q-sign-algorithm': 'sha1',
    'q-ak': input.secretId,
    'q-key-time': keyTime,
    'q-signature': postPolicySignature(text, input.secretKey, keyTime),
  };
  if (input.securityToken !== undefined) signed['x-cos-security-token'] = input.securityToken;
  return { fields: { ...fields, ...signed }, policy };
}

/**
 * Decodes the `policy` field: base64 of UTF-8 JSON with an `expiration` string and a `conditions`
 * array of well-formed conditions.
 *
 * @returns the JSON text (what the signature covers) and the policy, or a `InvalidPolicyDocument` problem.
 */
export function decodePostPolicy(
  base64: string,
): { readonly text: string; readonly policy: PostPolicy } | PostPolicyProblem {
  const invalid = (why: string): PostPolicyProblem => ({
    code: 'InvalidPolicyDocument',
    message: `Invalid Policy: ${why}`,
  });
  const text = utf8OfBase64(base64.trim());
  if (text === undefined) return invalid('the policy field is not base64 of UTF-8 text.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid('the policy is not JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return invalid('the policy is not a JSON object.');
  const { expiration, conditions } = json as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== 'string' || Number.isNaN(Date.parse(expiration)))
    return invalid('"expiration" must be an ISO 8601 date string.');
  if (!Array.isArray(conditions)) return invalid('"conditions" must be an array.');
  for (const [i, c] of conditions.entries()) {
    const problem = conditionProblem(c);
    if (problem) return invalid(`condition ${i}: ${problem}`);
  }
  return { text, policy: { expiration, conditions: conditions as PostPolicyCondition[] } };
}

function conditionProblem(c: unknown): string | undefined {
  if (Array.isArray(c)) {
    const [op, a, b] = c as unknown[];
    if (c.length !== 3) return 'an array condition has three elements.';
    if (op === 'content-length-range') {
      return Number.isSafeInteger(a) &&
        Number.isSafeInteger(b) &&
        (a as number) >= 0 &&
        (a as number) <= (b as number)
        ? undefined
        : 'content-length-range needs two integers 0 ≤ min ≤ max.';
    }
    if (op !== 'eq' && op !== 'starts-with') return `unknown operator ${JSON.stringify(op)}.`;
    if (typeof a !== 'string' || !a.startsWith('$') || a.length < 2)
      return 'the field must be a "$name" string.';
    return typeof b === 'string' ? undefined : 'the value must be a string.';
  }
  if (typeof c !== 'object' || c === null) return 'a condition is an object or an array.';
  const entries = Object.entries(c);
  if (entries.length !== 1 || typeof entries[0]![1] !== 'string')
    return 'an object condition has exactly one field with a string value.';
  return undefined;
}

/** The `content-length-range` of a policy (the narrowest, when several are given), if any. */
export function contentLengthRangeOf(policy: PostPolicy): { min: number; max: number } | undefined {
  let range: { min: number; max: number } | undefined;
  for (const c of policy.conditions) {
    if (Array.isArray(c) && c[0] === 'content-length-range') {
      const [, min, max] = c as readonly [string, number, number];
      range = range ? { min: Math.max(range.min, min), max: Math.min(range.max, max) } : { min, max };
    }
  }
  return range;
}

/**
 * Evaluates a decoded policy against the form: not expired at `nowMs`, and every condition but
 * `content-length-range` (checked on the file's bytes by the server) satisfied. Field names match
 * case-insensitively; `field(name)` answers lower-case names (the server adds `bucket`). The
 * condition `q-sign-time` is the form's `q-key-time`.
 *
 * @returns the first failure (`403 AccessDenied`, S3's messages), or undefined.
 */
export function checkPostPolicy(
  policy: PostPolicy,
  field: (lowerName: string) => string | undefined,
  nowMs: number,
): PostPolicyProblem | undefined {
  if (Date.parse(policy.expiration) <= nowMs)
    return { code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' };
  const failed = (c: PostPolicyCondition): PostPolicyProblem => ({
    code: 'AccessDenied',
    message: `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`,
  });
  const formValue = (name: string) => {
    const lower = name.toLowerCase();
    return field(lower === 'q-sign-time' ? 'q-key-time' : lower);
  };
  for (const c of policy.conditions) {
    if (Array.isArray(c)) {
      const [op, name, expected] = c as readonly [string, string, string];
      if (op === 'content-length-range') continue;
      const actual = formValue(name.slice(1));
      if (actual === undefined) return failed(c);
      if (op === 'eq' ? actual !== expected : !actual.startsWith(expected)) return failed(c);
    } else {
      const [name, expected] = Object.entries(c)[0]!;
      if (formValue(name) !== expected) return failed(c);
    }
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64OfUtf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function utf8OfBase64(base64: string): string | undefined {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return undefined;
  try {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
