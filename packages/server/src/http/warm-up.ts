/**
 * Start-up warm-up of the listing path. A freshly started process runs the code of a 1000-key
 * List Objects page (index walk, record decoding, XML) unoptimised: measured on the 2-core test
 * machine, the first page after a start cost ~5× the CPU of the fifth (70–120 ms against 10–20 ms),
 * so the first client to list paid for V8's warm-up. Listing the first bucket's first page a few
 * times before the server listens lets V8 compile that path first. Read-only; at most
 * {@link WARM_UP_PAGES} pages of {@link WARM_UP_KEYS} keys (a few hundred ms once at start, nothing
 * for an empty store).
 */
import type { Store } from '../store/store.js';
import { listBucketResultXml } from './handlers/list-objects.js';

/** Pages listed at start: enough for V8 to optimise the per-key functions. */
const WARM_UP_PAGES = 4;
/** Keys per warm-up page: the default page size of List Objects. */
const WARM_UP_KEYS = 1000;

export async function warmUpListing(store: Store): Promise<void> {
  const [first] = await store.listBuckets();
  if (!first) return;
  const query = { prefix: '', delimiter: '', marker: '', maxKeys: WARM_UP_KEYS };
  for (let i = 0; i < WARM_UP_PAGES; i++) {
    const page = await store.listObjects(first.name, query);
    if (page.contents.length === 0) return;
    listBucketResultXml(first.name, query, page, undefined, { ID: 'warm-up', DisplayName: 'warm-up' });
  }
}
