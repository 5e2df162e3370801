/**
 * TTY output: an overall bar and one bar per file in flight (bytes, speed, ETA), drawn by
 * cli-progress; finished files scroll above the bars as plain lines.
 */
import cliProgress from 'cli-progress';
import type { FileDone, FileEvent, Reporter } from './reporter.js';
import { formatBytes, formatRate } from './units.js';

const MAX_FILE_BARS = 6;

interface Payload {
  name: string;
  done: string;
  size: string;
  speed: string;
}

export class TtyReporter implements Reporter {
  readonly #multi: cliProgress.MultiBar;
  readonly #overall: cliProgress.SingleBar;
  readonly #bars = new Map<string, { bar: cliProgress.SingleBar; started: number; bytes: number }>();
  readonly #started = performance.now();
  #totalBytes = 0;
  #doneBytes = 0;
  #progressBytes = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.#multi = new cliProgress.MultiBar(
      {
        stream,
        format: ' {bar} {percentage}% | {done}/{size} | {speed} | ETA {eta_formatted} | {name}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#overall = this.#multi.create(1, 0, this.#payload('total', 0, 0, 0));
  }

  #payload(name: string, done: number, size: number, elapsedMs: number): Payload {
    return {
      name,
      done: formatBytes(done),
      size: formatBytes(size),
      speed: elapsedMs > 0 ? formatRate((done * 1000) / elapsedMs) : '-',
    };
  }

  #refreshOverall(): void {
    const done = this.#doneBytes + this.#progressBytes;
    this.#overall.setTotal(Math.max(1, this.#totalBytes));
    this.#overall.update(done, this.#payload('total', done, this.#totalBytes, performance.now() - this.#started));
  }

  total(_files: number, bytes: number): void {
    this.#totalBytes = bytes;
    this.#refreshOverall();
  }

  fileStart(e: FileEvent): void {
    if (this.#bars.size >= MAX_FILE_BARS) return;
    const name = e.source.length > 40 ? `…${e.source.slice(-39)}` : e.source;
    const bar = this.#multi.create(Math.max(1, e.size), 0, this.#payload(name, 0, e.size, 0));
    this.#bars.set(e.source, { bar, started: performance.now(), bytes: 0 });
  }

  fileProgress(source: string, bytes: number): void {
    const entry = this.#bars.get(source);
    if (entry) {
      this.#progressBytes += bytes - entry.bytes;
      entry.bytes = bytes;
      const { done, size, speed } = this.#payload('', bytes, entry.bar.getTotal(), performance.now() - entry.started);
      entry.bar.update(bytes, { done, size, speed });
    }
    this.#refreshOverall();
  }

  fileDone(e: FileDone): void {
    const entry = this.#bars.get(e.source);
    if (entry) {
      this.#progressBytes -= entry.bytes;
      this.#multi.remove(entry.bar);
      this.#bars.delete(e.source);
    }
    if (e.status !== 'failed') this.#doneBytes += e.size;
    const line =
      e.status === 'failed' ? `failed: ${e.source} -> ${e.target}: ${e.error}` : `${e.status}: ${e.source} -> ${e.target} (${formatBytes(e.size)})`;
    this.#multi.log(`${line}\n`);
    this.#refreshOverall();
  }

  info(text: string): void {
    this.#multi.log(`${text}\n`);
  }

  finish(s: { files: number; bytes: number; failed: number; skipped: number; ms: number }): void {
    this.#refreshOverall();
    this.#multi.stop();
    const rate = s.ms > 0 ? `, ${formatRate((s.bytes * 1000) / s.ms)}` : '';
    process.stderr.write(
      `done: ${s.files} file(s), ${formatBytes(s.bytes)} in ${(s.ms / 1000).toFixed(1)} s${rate}; ${s.skipped} skipped, ${s.failed} failed\n`,
    );
  }
}
