/** PUT / GET / DELETE Bucket cors (the Python SDK's put_bucket_cors, get_bucket_cors, delete_bucket_cors). */
import {
  buildCorsConfiguration,
  type CorsConfiguration,
  type CorsRule,
  checkCorsConfiguration,
  parseCorsConfiguration,
} from '@coskit/protocol';
import { xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket } from '../validation.js';
import { type BucketParams, parseOrThrow } from './bucket.js';
import { type HeaderResponse, headerResponse } from './common.js';

/** A rule as callers may write it: a single string where COS allows a list. */
export type CorsRuleInput = Omit<
  CorsRule,
  'AllowedOrigin' | 'AllowedMethod' | 'AllowedHeader' | 'ExposeHeader'
> & {
  AllowedOrigin: string | string[];
  AllowedMethod: string | string[];
  AllowedHeader?: string | string[];
  ExposeHeader?: string | string[];
};

export interface PutBucketCorsParams extends BucketParams {
  /** `{ CORSRule: [{ AllowedOrigin, AllowedMethod, AllowedHeader?, ExposeHeader?, MaxAgeSeconds?, ID? }] }`, 1–100 rules. */
  CORSConfiguration: { CORSRule: CorsRuleInput | CorsRuleInput[]; ResponseVary?: boolean };
}

export type GetBucketCorsResult = CorsConfiguration & HeaderResponse;

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The configuration as sent: lists everywhere, checked against COS's rules before any I/O. */
function configurationOf(input: PutBucketCorsParams['CORSConfiguration'] | undefined): CorsConfiguration {
  if (!input || typeof input !== 'object' || input.CORSRule === undefined) {
    throw invalidArgument('CORSConfiguration must be { CORSRule: [{ AllowedOrigin, AllowedMethod, ... }] }.');
  }
  const rules = Array.isArray(input.CORSRule) ? input.CORSRule : [input.CORSRule];
  const config: CorsConfiguration = {
    CORSRule: rules.map((r) => {
      const rule: CorsRule = {
        AllowedOrigin: list(r.AllowedOrigin),
        AllowedMethod: list(r.AllowedMethod).map((m) => m.toUpperCase()),
        AllowedHeader: list(r.AllowedHeader),
        ExposeHeader: list(r.ExposeHeader),
      };
      if (r.ID !== undefined) rule.ID = r.ID;
      if (r.MaxAgeSeconds !== undefined) {
        if (!Number.isSafeInteger(r.MaxAgeSeconds) || r.MaxAgeSeconds < 0)
          throw invalidArgument(
            `MaxAgeSeconds must be a non-negative integer of seconds; got ${r.MaxAgeSeconds}.`,
          );
        rule.MaxAgeSeconds = r.MaxAgeSeconds;
      }
      return rule;
    }),
  };
  if (input.ResponseVary !== undefined) config.ResponseVary = input.ResponseVary;
  const problem = checkCorsConfiguration(config);
  if (problem) throw invalidArgument(problem.message);
  return config;
}

export async function putBucketCors(t: Transport, p: PutBucketCorsParams): Promise<HeaderResponse> {
  const bucket = requireBucket(p.Bucket);
  const xml = xmlBody(buildCorsConfiguration(configurationOf(p.CORSConfiguration)));
  const r = await t.send({
    method: 'PUT',
    bucket,
    query: { cors: '' },
    // COS documents Content-MD5 as required for this call: the caller's headers cannot drop it.
    headers: { ...p.Headers, ...xml.headers },
    body: xml.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}

/** The bucket's rules; a bucket without any is a CosServiceError `NoSuchCORSConfiguration` (404). */
export async function getBucketCors(t: Transport, p: BucketParams): Promise<GetBucketCorsResult> {
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    query: { cors: '' },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseCorsConfiguration(r.body)), ...headerResponse(r) };
}

export async function deleteBucketCors(t: Transport, p: BucketParams): Promise<HeaderResponse> {
  return headerResponse(
    await t.send({
      method: 'DELETE',
      bucket: requireBucket(p.Bucket),
      query: { cors: '' },
      headers: p.Headers,
      signal: p.signal,
      timeout: p.Timeout,
    }),
  );
}
