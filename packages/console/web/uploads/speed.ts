/**
 * Transfer speed over a sliding window: bytes done at recent instants, rate = their slope over the
 * last {@link WINDOW_MS}. Memory: one sample per progress event within the window.
 */
const WINDOW_MS = 3000;

export class SpeedMeter {
  #samples: [time: number, bytes: number][] = [];

  /** Records that `bytes` were done in all at `now` (ms, performance.now()). */
  record(bytes: number, now = performance.now()): void {
    this.#samples.push([now, bytes]);
    while (this.#samples.length > 2 && now - this.#samples[0]![0] > WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second over the window; undefined until two samples at least 200 ms apart. */
  rate(now = performance.now()): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || now - last[0] > WINDOW_MS) return undefined;
    const ms = last[0] - first[0];
    return ms >= 200 ? ((last[1] - first[1]) * 1000) / ms : undefined;
  }

  reset(): void {
    this.#samples = [];
  }
}
