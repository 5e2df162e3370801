/** Pieces shared by the three listings. */
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';

/** `encoding-type`: only `url` is defined; anything else is refused. */
export function encodingTypeOf(ctx: RequestContext): 'url' | undefined {
  const value = ctx.param('encoding-type');
  if (value === undefined || value === '') return undefined;
  if (value.toLowerCase() !== 'url') {
    throw new CosHttpError('InvalidArgument', `encoding-type "${value}" is not supported; use "url".`);
  }
  return 'url';
}

/** Owner / Initiator element: the single tenant of this server, named by its SecretId's APPID. */
export function owner(ctx: RequestContext): { ID: string; DisplayName: string } {
  const appId = ctx.bucket?.slice(ctx.bucket.lastIndexOf('-') + 1) ?? '0';
  return { ID: `qcs::cam::uin/${appId}:uin/${appId}`, DisplayName: appId };
}
