/**
 * Byte progress of a transfer, as the seed's `progress_callback(consumed_bytes, total_bytes)`:
 * counted as bytes leave (not per finished part), monotonic, throttled, and ending with exactly one
 * call at 100 %. Bytes of a failed attempt are taken back, so a retry does not count them twice;
 * the reported value never goes down, it waits until the real count passes it again.
 */

/** `(consumedBytes, totalBytes)`; both in bytes. */
export type ProgressCallback = (consumedBytes: number, totalBytes: number) => void;

export class ProgressTracker {
  #counted = 0;
  #reported = -1;
  #lastCall = 0;
  #finished = false;

  /**
   * @param total - Bytes the transfer will carry.
   * @param callback - Receives progress; exceptions it throws are not caught.
   * @param intervalMs - At most one intermediate call per interval. Default 200 ms.
   */
  constructor(
    readonly total: number,
    readonly callback: ProgressCallback | null | undefined,
    readonly intervalMs = 200,
  ) {}

  /** Counts bytes already done before this run (parts uploaded earlier, resumed). */
  alreadyDone(bytes: number): void {
    this.#counted += bytes;
    this.#emit(false);
  }

  /** Bytes written to the network. */
  sent(bytes: number): void {
    this.#counted += bytes;
    this.#emit(false);
  }

  /** An attempt failed after `bytes` were sent: they will be sent again. */
  rollback(bytes: number): void {
    this.#counted -= bytes;
  }

  /** Reports 100 % exactly once (also for an empty file). */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#counted = this.total;
    this.#emit(true);
  }

  #emit(final: boolean): void {
    if (!this.callback) return;
    const value = Math.min(this.#counted, final ? this.total : this.total - 1);
    if (!final) {
      // Leave 100 % to finish(): the object is not done until Complete succeeds.
      if (value <= this.#reported) return;
      const now = performance.now();
      if (now - this.#lastCall < this.intervalMs && this.#reported >= 0) return;
      this.#lastCall = now;
    }
    this.#reported = Math.max(this.#reported, value);
    this.callback(this.#reported, this.total);
  }
}
