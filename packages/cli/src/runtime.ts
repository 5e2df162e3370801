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
      // Second Ctrl-C: the user does not want to wait for the clean stop. The hint is written on
      // 'exit', after the progress display's own 'exit' listener has erased its live area.
      process.exitCode = EXIT.interrupted;
      process.once('exit', () => this.writeInterruptHint());
      process.exit(EXIT.interrupted);
    }
    this.#controller.abort(new InterruptedError());
  };

  /**
   * The line that says the run was interrupted. On a terminal it overwrites the `^C` that the
   * terminal echoed at the start of the line; elsewhere it starts a new line.
   */
  writeInterruptHint(): void {
    this.stderr.write(`${this.stderr.isTTY ? '\r\u001b[K' : '\n'}${this.interruptHint}\n`);
  }

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
