/** The in-memory store against the store contract (it has no crash points: nothing survives). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { storeContract } from './contract/suite.js';
import { bodyOf, rejectsWith } from './contract/support.js';

storeContract({
  name: 'memory',
  async open() {
    const store = new MemoryStore();
    return {
      store,
      footprint: async () => store.heldBytes,
      settle: async () => {},
      dispose: () => store.close(),
    };
  },
});

test('memory: maxBytes bounds what is held; a refused body leaves the count as it was', async () => {
  const store = new MemoryStore({ maxBytes: 1000 });
  await store.createBucket('m-1250000000', { created: 0, acl: 'private', grants: {} });
  await store.putObject('m-1250000000', 'a', bodyOf(Buffer.alloc(600)), { headers: {} });
  await rejectsWith(
    store.putObject('m-1250000000', 'b', bodyOf(Buffer.alloc(600)), { headers: {} }),
    'EntityTooLarge',
  );
  assert.equal(store.heldBytes, 600);
  // Replacing frees the old bytes first only once the new ones are in: 600 + 500 > 1000.
  await rejectsWith(
    store.putObject('m-1250000000', 'a', bodyOf(Buffer.alloc(500)), { headers: {} }),
    'EntityTooLarge',
  );
  await store.deleteObject('m-1250000000', 'a');
  assert.equal(store.heldBytes, 0);
  await store.putObject('m-1250000000', 'b', bodyOf(Buffer.alloc(1000)), { headers: {} });
  assert.equal(store.heldBytes, 1000);
});

test('memory: two stores share nothing', async () => {
  const one = new MemoryStore();
  const two = new MemoryStore();
  await one.createBucket('iso-1250000000', { created: 0, acl: 'private', grants: {} });
  assert.equal(await two.getBucket('iso-1250000000'), undefined);
  assert.equal(await two.createBucket('iso-1250000000', { created: 0, acl: 'private', grants: {} }), true);
  await one.putObject('iso-1250000000', 'k', bodyOf(Buffer.from('one')), { headers: {} });
  assert.equal(await two.getObject('iso-1250000000', 'k'), undefined);
});
