/**
 * An in-memory ordered table with binary keys: a sorted array searched by bisection. Lookups and
 * range starts are O(log n); inserts and deletes move O(n) array slots (memmove-fast up to a few
 * hundred thousand keys, which is far beyond what a test bucket holds).
 */
import type { MutableTable } from '../ordered-table.js';

interface Entry<V> {
  readonly key: Buffer;
  value: V;
}

export class SortedTable<V> implements MutableTable<V> {
  readonly #entries: Entry<V>[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /** Index of the first entry with key >= `key`. */
  #lowerBound(key: Buffer): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Buffer.compare(this.#entries[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(key: Buffer): V | undefined {
    const i = this.#lowerBound(key);
    const e = this.#entries[i];
    return e?.key.equals(key) ? e.value : undefined;
  }

  set(key: Buffer, value: V): void {
    const i = this.#lowerBound(key);
    const e = this.#entries[i];
    if (e?.key.equals(key)) e.value = value;
    else this.#entries.splice(i, 0, { key: Buffer.from(key), value });
  }

  put(key: Buffer, value: V): void {
    this.set(key, value);
  }

  remove(key: Buffer): void {
    this.delete(key);
  }

  delete(key: Buffer): boolean {
    const i = this.#lowerBound(key);
    const e = this.#entries[i];
    if (!e || !e.key.equals(key)) return false;
    this.#entries.splice(i, 1);
    return true;
  }

  /** Whether any key lies in `start <= key < end`. */
  hasAny(range: { start: Buffer; end: Buffer }): boolean {
    const e = this.#entries[this.#lowerBound(range.start)];
    return e !== undefined && Buffer.compare(e.key, range.end) < 0;
  }

  /**
   * Entries in `start <= key < end`, lazily (a listing reads only its page). Do not change the
   * table while iterating: collect first.
   */
  *getRange(range: { start: Buffer; end: Buffer }): Generator<{ key: Buffer; value: V }> {
    for (let i = this.#lowerBound(range.start); i < this.#entries.length; i++) {
      const e = this.#entries[i]!;
      if (Buffer.compare(e.key, range.end) >= 0) return;
      yield { key: e.key, value: e.value };
    }
  }
}
