/**
 * `--json`: one JSON object per line on stdout, machine-readable. Events: `start` (a file begins), `resume` (bytes an interrupted run already moved),
 * `progress` (at most every 250 ms per file), `file` (done, skipped or failed), `message`, `summary`.
 */
import type { FileDone, FileEvent, Reporter, Summary } from './reporter.js';

const PROGRESS_INTERVAL_MS = 250;

export class JsonReporter implements Reporter {
  readonly #files = new Map<string, { size: number; last: number }>();

  constructor(private readonly out: NodeJS.WritableStream) {}

  #line(value: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify(value)}\n`);
  }

  total(files: number, bytes: number): void {
    this.#line({ event: 'total', files, bytes });
  }

  fileStart(e: FileEvent): void {
    this.#files.set(e.source, { size: e.size, last: performance.now() });
    this.#line({ event: 'start', source: e.source, target: e.target, size: e.size });
  }

  fileProgress(source: string, bytes: number): void {
    const file = this.#files.get(source);
    if (!file) return;
    const now = performance.now();
    if (now - file.last < PROGRESS_INTERVAL_MS) return;
    file.last = now;
    this.#line({ event: 'progress', source, bytes, size: file.size });
  }

  fileResumed(source: string, reusedBytes: number): void {
    const file = this.#files.get(source);
    this.#line({ event: 'resume', source, reused: reusedBytes, size: file?.size });
  }

  fileDone(e: FileDone): void {
    this.#files.delete(e.source);
    this.#line({ event: 'file', ...e });
  }

  stop(): void {}

  removed(target: string): void {
    this.#line({ event: 'deleted', target });
  }

  info(text: string): void {
    this.#line({ event: 'message', text });
  }

  finish(s: Summary): void {
    this.#line({ event: 'summary', ...s });
  }
}
