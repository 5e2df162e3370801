/**
 * The CLI's one concurrency helper, for its own work that is not an SDK transfer (a batch of
 * downloads, the deletes of rm -r and sync --delete). Transfers run on the SDK's pool.
 */
/** Runs `fn` over `items`, `limit` at a time, stopping to take new items once `signal` aborts. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, Math.max(1, items.length)) }, async () => {
      while (next < items.length && !signal.aborted) await fn(items[next++]!);
    }),
  );
}
