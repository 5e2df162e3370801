/** GET Service (List Buckets): every bucket of this server. */
import { buildListAllMyBucketsResult } from '@coskit/protocol';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';

export function listBuckets(ctx: RequestContext): void {
  const xml = buildListAllMyBucketsResult({
    Owner: { ID: 'qcs::cam::uin/coskit:uin/coskit', DisplayName: 'coskit' },
    Buckets: ctx.store.listBuckets().map(({ name, record }) => ({
      Name: name,
      Location: ctx.region,
      CreationDate: new Date(record.created).toISOString(),
    })),
  });
  sendXml(ctx.res, 200, xml);
}
