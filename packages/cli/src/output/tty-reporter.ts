/**
 * TTY output: an overall bar and one bar per file in flight (bytes, speed, ETA), drawn by
 * cli-progress on standard error; finished files scroll above the bars as plain lines.
 */
import cliProgress from 'cli-progress';
import {
  type FileDone,
  type FileEvent,
  failureList,
  fileLine,
  type Reporter,
  type Summary,
  summaryLine,
} from './reporter.js';
import { formatBytes, formatRate } from './units.js';

const MAX_FILE_BARS = 6;
const NAME_WIDTH = 40;

interface Payload {
  name: string;
  done: string;
  size: string;
  speed: string;
  etaText: string;
}

/** `42s`, `3m05s`, `1h02m`; `-` while the speed is unknown. */
function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function shorten(name: string): string {
  return name.length > NAME_WIDTH ? `…${name.slice(-(NAME_WIDTH - 1))}` : name;
}

export class TtyReporter implements Reporter {
  readonly #multi: cliProgress.MultiBar;
  readonly #overall: cliProgress.SingleBar;
  readonly #bars = new Map<string, { bar: cliProgress.SingleBar; started: number; bytes: number }>();
  readonly #started = performance.now();
  #totalFiles = 0;
  #finishedFiles = 0;
  #totalBytes = 0;
  #doneBytes = 0;
  #progressBytes = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.#multi = new cliProgress.MultiBar(
      {
        stream,
        format: ' {bar} {percentage}% | {done}/{size} | {speed} | ETA {etaText} | {name}',
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
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    return {
      name,
      done: formatBytes(done),
      size: formatBytes(size),
      speed: rate > 0 ? formatRate(rate) : '-',
      etaText: rate > 0 ? formatEta((size - done) / rate) : '-',
    };
  }

  #refreshOverall(): void {
    const done = this.#doneBytes + this.#progressBytes;
    const name = `total: ${this.#finishedFiles}/${this.#totalFiles} file(s)`;
    this.#overall.setTotal(Math.max(1, this.#totalBytes));
    this.#overall.update(
      Math.min(done, Math.max(1, this.#totalBytes)),
      this.#payload(name, done, this.#totalBytes, performance.now() - this.#started),
    );
  }

  total(files: number, bytes: number): void {
    this.#totalFiles = files;
    this.#totalBytes = bytes;
    this.#refreshOverall();
  }

  fileStart(e: FileEvent): void {
    if (this.#bars.size >= MAX_FILE_BARS) return;
    const bar = this.#multi.create(Math.max(1, e.size), 0, this.#payload(shorten(e.source), 0, e.size, 0));
    this.#bars.set(e.source, { bar, started: performance.now(), bytes: 0 });
  }

  fileProgress(source: string, bytes: number): void {
    const entry = this.#bars.get(source);
    if (!entry) return;
    this.#progressBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    const { name: _name, ...fields } = this.#payload(
      '',
      bytes,
      entry.bar.getTotal(),
      performance.now() - entry.started,
    );
    entry.bar.update(bytes, fields);
    this.#refreshOverall();
  }

  fileDone(e: FileDone): void {
    const entry = this.#bars.get(e.source);
    if (entry) {
      this.#progressBytes -= entry.bytes;
      this.#multi.remove(entry.bar);
      this.#bars.delete(e.source);
    }
    this.#finishedFiles++;
    this.#doneBytes += e.size;
    this.#multi.log(`${fileLine(e)}\n`);
    this.#refreshOverall();
  }

  removed(target: string): void {
    this.#multi.log(`deleted: ${target}\n`);
  }

  info(text: string): void {
    this.#multi.log(`${text}\n`);
  }

  stop(): void {
    this.#multi.update();
    this.#multi.stop();
  }

  finish(s: Summary, failures: readonly FileDone[]): void {
    this.#refreshOverall();
    // update() flushes lines logged since the last frame; stop() draws the final frame.
    this.#multi.update();
    this.#multi.stop();
    this.stream.write(`${failureList(failures, s)}${summaryLine(s)}\n`);
  }
}
