/** GET Service (List Buckets): every bucket of this server. */
import { buildListAllMyBucketsResult } from '@coskit/protocol';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';

export async function listBuckets(ctx: RequestContext): Promise<void> {
  const xml = buildListAllMyBucketsResult({
    Owner: { ID: 'qcs::cam::uin/coskit:uin/coskit', DisplayName: 'coskit' },
    Buckets: (await ctx.store.listBuckets()).map(({ name, info }) => ({
      Name: name,
      Location: ctx.region,
      CreationDate: new Date(info.created).toISOString(),
    })),
  });
  sendXml(ctx.res, 200, xml);
}
