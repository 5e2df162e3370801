/**
 * The state of one `coskit` run shared by its command: the exit code, the output streams and the
 * Ctrl-C handling (an AbortSignal that in-flight requests listen to; a second Ctrl-C exits at once).
 */

import { setMaxListeners } from 'node:events';
import { InterruptedError } from './errors.js';
import { EXIT } from './exit-codes.js';

export class Runtime {
  exitCode: number = EXIT.ok;
  /** Printed after an interruption; transfer commands say how to resume. */
  interruptHint = 'interrupted';
  // One signal fans out to every request of a transfer: many listeners are expected.
  readonly #controller = (() => {
    const c = new AbortController();
    setMaxListeners(0, c.signal);
    return c;
  })();
  #listening = false;

  constructor(
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  readonly #onSigint = (): void => {
    if (this.#controller.signal.aborted) {
      // Second Ctrl-C: the user does not want to wait for the clean stop.
      this.stderr.write(`\n${this.interruptHint}\n`);
      process.exit(EXIT.interrupted);
    }
    this.#controller.abort(new InterruptedError());
  };

  /** Aborted on Ctrl-C (SIGINT) from now on. */
  get signal(): AbortSignal {
    if (!this.#listening) {
      this.#listening = true;
      process.on('SIGINT', this.#onSigint);
    }
    return this.#controller.signal;
  }

  get interrupted(): boolean {
    return this.#controller.signal.aborted;
  }

  dispose(): void {
    if (this.#listening) process.off('SIGINT', this.#onSigint);
    this.#listening = false;
  }
}
