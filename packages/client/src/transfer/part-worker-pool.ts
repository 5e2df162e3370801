/**
 * N workers pulling part descriptors from one generator (the lib-storage model): at most N parts
 * in flight, each worker reusing one buffer, the first failure stops the others from taking more.
 */
import type { PartDescriptor } from './part-plan.js';

export interface PoolOptions {
  readonly workers: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `work(part, workerIndex)` for every descriptor of `parts`, `workers` at a time. Rejects with
 * the first error once every started part has settled (so no request outlives the call).
 */
export async function runPartPool(
  parts: Iterator<PartDescriptor>,
  options: PoolOptions,
  work: (part: PartDescriptor, worker: number) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const next = (): PartDescriptor | undefined => {
    if (failure || options.signal?.aborted) return undefined;
    const r = parts.next();
    return r.done ? undefined : r.value;
  };
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let part = next(); part; part = next()) {
        try {
          await work(part, worker);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
  options.signal?.throwIfAborted();
}
