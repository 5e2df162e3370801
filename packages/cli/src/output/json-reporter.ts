/** `--json`: one JSON object per line on stdout, machine-readable (events `file`, `message`, `summary`). */
import type { FileDone, Reporter } from './reporter.js';

export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  #line(value: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify(value)}\n`);
  }

  total(): void {}
  fileStart(): void {}
  fileProgress(): void {}

  fileDone(e: FileDone): void {
    this.#line({ event: 'file', ...e });
  }

  info(text: string): void {
    this.#line({ event: 'message', text });
  }

  finish(s: { files: number; bytes: number; failed: number; skipped: number; ms: number }): void {
    this.#line({ event: 'summary', ...s });
  }
}
