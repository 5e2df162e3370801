/** Non-TTY output: one line per finished file on stdout; information, failures and the summary on stderr. */
import {
  type FileDone,
  type FileEvent,
  failureList,
  fileLine,
  type Reporter,
  type Summary,
  summaryLine,
} from './reporter.js';

export class PlainReporter implements Reporter {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  total(): void {}
  fileStart(_e: FileEvent): void {}
  fileProgress(): void {}

  fileDone(e: FileDone): void {
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
  fileDone(e: FileDone): void {
    if (e.status === 'failed') this.err.write(`${fileLine(e)}\n`);
  }
  removed(): void {}
  info(): void {}
  finish(): void {}
  stop(): void {}
}
