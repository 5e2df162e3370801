/** Request ids in COS's shape: base64 of `<hex time>_<hex random>` (opaque to clients). */
import { randomFillSync } from 'node:crypto';

/** Random bytes per id. */
const ID_RANDOM_BYTES = 9;
/**
 * Ids drawn per refill of the pool: one `randomFillSync` of 4.5 KiB instead of one call per
 * request (each call costs a few microseconds, as much as the rest of the id).
 */
const IDS_PER_REFILL = 512;

const pool = Buffer.alloc(ID_RANDOM_BYTES * IDS_PER_REFILL);
let next = IDS_PER_REFILL;

export function newRequestId(): string {
  if (next === IDS_PER_REFILL) {
    randomFillSync(pool);
    next = 0;
  }
  const offset = ID_RANDOM_BYTES * next++;
  const random = pool.toString('hex', offset, offset + ID_RANDOM_BYTES);
  return Buffer.from(`${Math.floor(Date.now() / 1000).toString(16)}_${random}`).toString('base64');
}
