/** Non-TTY output: one line per finished file on stdout, information on stderr. */
import type { FileDone, FileEvent, Reporter } from './reporter.js';
import { formatBytes, formatRate } from './units.js';

export class PlainReporter implements Reporter {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  total(): void {}
  fileStart(_e: FileEvent): void {}
  fileProgress(): void {}

  fileDone(e: FileDone): void {
    const rate = e.ms > 0 ? ` ${formatRate((e.size * 1000) / e.ms)}` : '';
    if (e.status === 'failed') this.err.write(`failed: ${e.source} -> ${e.target}: ${e.error}\n`);
    else this.out.write(`${e.status}: ${e.source} -> ${e.target} (${formatBytes(e.size)}${e.status === 'skipped' ? '' : rate})\n`);
  }

  info(text: string): void {
    this.err.write(`${text}\n`);
  }

  finish(s: { files: number; bytes: number; failed: number; skipped: number; ms: number }): void {
    const rate = s.ms > 0 ? `, ${formatRate((s.bytes * 1000) / s.ms)}` : '';
    this.err.write(
      `done: ${s.files} file(s), ${formatBytes(s.bytes)} in ${(s.ms / 1000).toFixed(1)} s${rate}; ${s.skipped} skipped, ${s.failed} failed\n`,
    );
  }
}

/** `--quiet`: failures and nothing else. */
export class QuietReporter implements Reporter {
  constructor(private readonly err: NodeJS.WritableStream) {}
  total(): void {}
  fileStart(): void {}
  fileProgress(): void {}
  fileDone(e: FileDone): void {
    if (e.status === 'failed') this.err.write(`failed: ${e.source} -> ${e.target}: ${e.error}\n`);
  }
  info(): void {}
  finish(): void {}
}
