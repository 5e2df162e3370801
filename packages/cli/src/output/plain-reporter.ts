/** Non-TTY output: one line per finished file on stdout; information, failures and the summary on stderr. */
import {
  type FileDone,
  type FileEvent,
  failureList,
  fileLine,
  type Reporter,
  resumeLine,
  type Summary,
  summaryLine,
} from './reporter.js';

export class PlainReporter implements Reporter {
  readonly #started = new Map<string, FileEvent>();

  /** @param verbose - list skipped files (else they are only counted in the summary). */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
    private readonly verbose = false,
  ) {}

  total(): void {}
  fileStart(e: FileEvent): void {
    this.#started.set(e.source, e);
  }
  fileProgress(): void {}

  fileResumed(source: string, reusedBytes: number): void {
    const e = this.#started.get(source);
    if (e) this.err.write(`${resumeLine(e, reusedBytes)}\n`);
  }

  fileDone(e: FileDone): void {
    this.#started.delete(e.source);
    if (e.status === 'skipped' && !this.verbose) return;
    (e.status === 'failed' ? this.err : this.out).write(`${fileLine(e)}\n`);
  }

  stop(): void {}

  removed(target: string): void {
    this.out.write(`deleted: ${target}\n`);
  }

  info(text: string): void {
    this.err.write(`${text}\n`);
  }

  finish(s: Summary, failures: readonly FileDone[]): void {
    this.err.write(`${failureList(failures, s)}${summaryLine(s)}\n`);
  }
}

/** `--quiet`: failures and nothing else. */
export class QuietReporter implements Reporter {
  constructor(private readonly err: NodeJS.WritableStream) {}
  total(): void {}
  fileStart(): void {}
  fileProgress(): void {}
  fileResumed(): void {}
  fileDone(e: FileDone): void {
    if (e.status === 'failed') this.err.write(`${fileLine(e)}\n`);
  }
  removed(): void {}
  info(): void {}
  finish(): void {}
  stop(): void {}
}
