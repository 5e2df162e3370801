/**
 * OPTIONS Object (doc 8288): the CORS preflight of any resource of a bucket (or, with the server's
 * default rules, of the service). Browsers send it unsigned; it is answered from the rules alone.
 */

import { corsRulesFor, matchRule, preflightHeaders, requestedHeaders } from '../cors.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';

export async function optionsObject(ctx: RequestContext, bucket: string): Promise<void> {
  const origin = ctx.header('origin');
  if (origin === undefined || origin === '') {
    throw new CosHttpError('InvalidRequest', 'Insufficient information. Origin request header needed.');
  }
  const method = ctx.header('access-control-request-method');
  if (method === undefined || method === '') {
    throw new CosHttpError('InvalidRequest', 'Invalid Access-Control-Request-Method: null');
  }
  if (ctx.bucket !== undefined && !(await ctx.store.getBucket(bucket)))
    throw new CosHttpError('NoSuchBucket');
  const announced = requestedHeaders(ctx.header('access-control-request-headers'));
  const rules = await corsRulesFor(ctx.store, ctx.config, ctx.bucket);
  const rule = matchRule(rules, origin, method, announced);
  if (!rule) throw new CosHttpError('AccessForbidden');
  sendEmpty(ctx.res, 200, preflightHeaders(rule, origin, announced));
}
