/**
 * The SDK's one worker pool: N workers pulling items from one iterator (the lib-storage model).
 * Parts of an upload or a download, files of a folder, parts cut from a stream all run on it.
 */

export interface PoolOptions {
  /** Workers, ≥ 1: at most this many items in flight. */
  readonly workers: number;
  readonly signal?: AbortSignal | undefined;
  /**
   * Keep taking items after a failure (each failure is then the caller's to record; the pool
   * rethrows only an abort). Default false: the first failure stops the others from taking more.
   */
  readonly continueOnError?: boolean;
}

/**
 * Runs `work(item, workerIndex)` for every item of `items`, `workers` at a time; `workerIndex`
 * (0 … workers − 1) lets a worker reuse its own buffer. `items` may be async (a stream cut into
 * parts): workers then wait for it in turn. Rejects with the first error once every started item
 * has settled, so no request outlives the call; an aborted `signal` stops taking items (and, when
 * no item failed, rejects with the signal's reason).
 */
export async function runPool<T>(
  items: Iterator<T> | AsyncIterator<T>,
  options: PoolOptions,
  work: (item: T, worker: number) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const stopped = () => (failure !== undefined && !options.continueOnError) || options.signal?.aborted;
  const next = async (): Promise<{ item: T } | undefined> => {
    if (stopped()) return undefined;
    const r = await items.next();
    return r.done || stopped() ? undefined : { item: r.value };
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.workers) }, async (_, worker) => {
      try {
        for (let n = await next(); n; n = await next()) {
          try {
            await work(n.item, worker);
          } catch (error) {
            failure ??= { error };
          }
        }
      } catch (error) {
        // The iterator itself failed (a stream that errored): that is the failure.
        failure ??= { error };
      }
    }),
  );
  // An aborted item reports the cancellation in its own terms (COS_ABORTED): it comes first.
  if (failure && !options.continueOnError) throw failure.error;
  options.signal?.throwIfAborted();
}
