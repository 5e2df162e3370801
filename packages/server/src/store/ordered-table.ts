/**
 * The one thing listings need from a backend's index: entries in key byte order between two
 * binary keys (see keys.ts). LMDB databases are such tables; the memory store has its own.
 */
export interface OrderedTable<V> {
  /** Entries with `start <= key < end`, in byte order. */
  getRange(range: { start: Buffer; end: Buffer }): Iterable<{ key: Buffer; value: V }>;
}
