/** A counting semaphore: bounds work in flight (parts across files share one). */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  /** @param permits - How many holders at once (≥ 1). */
  constructor(permits: number) {
    this.#free = permits;
  }

  /** Waits for a permit; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
