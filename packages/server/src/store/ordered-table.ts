/**
 * The one thing listings need from a backend's index: entries in key byte order between two
 * binary keys (see keys.ts). LMDB databases are such tables; the memory store has its own.
 */
export interface OrderedTable<V> {
  /** Entries with `start <= key < end`, in byte order. */
  getRange(range: { start: Buffer; end: Buffer }): Iterable<{ key: Buffer; value: V }>;
}

/**
 * An ordered table that a change may also write: what the backend-neutral versioning rules
 * (versions.ts) need, inside one backend transaction (an LMDB write transaction, or one
 * synchronous step of the memory store). Reads see the change's own writes.
 */
export interface MutableTable<V> extends OrderedTable<V> {
  get(key: Buffer): V | undefined;
  put(key: Buffer, value: V): void;
  remove(key: Buffer): void;
}

/** The first entry with `start <= key < end`, or undefined: one seek. */
export function firstIn<V>(
  table: OrderedTable<V>,
  range: { start: Buffer; end: Buffer },
): { key: Buffer; value: V } | undefined {
  for (const entry of table.getRange(range)) return { key: Buffer.from(entry.key), value: entry.value };
  return undefined;
}
