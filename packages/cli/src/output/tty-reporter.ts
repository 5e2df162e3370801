/**
 * TTY output: a live area at the bottom of standard error — one overall line (percentage, bytes,
 * speed, ETA, files) and a line per file in flight — drawn by log-update, which owns those rows;
 * finished files are printed above it as plain lines that stay. Every line is fitted to the
 * terminal's width (names shortened in the middle, keeping the extension) and redrawn when the
 * terminal is resized; on Ctrl-C, an error or the end, the live area is erased, never left behind.
 *
 * Speed and ETA count only the bytes this run moves: what an interrupted run had already sent is
 * announced once ("resuming: …") and counts towards the percentage, never towards the speed.
 */
import { createLogUpdate } from 'log-update';
import { columns, shortenMiddle, truncateEnd } from './fit.js';
import {
  type FileDone,
  type FileEvent,
  failureList,
  fileLineParts,
  type Reporter,
  resumeLine,
  type Summary,
  summaryLine,
} from './reporter.js';
import { formatBytes, formatRate } from './units.js';

/** File lines shown at most (more files in flight are counted on one line). */
const MAX_FILE_LINES = 6;
/** Redraws per second at most; finished lines wait at most this long to appear. */
const FRAME_MS = 100;
/** Columns of a file's `100%  999.9 MiB/999.9 MiB`. */
const STATS_WIDTH = 25;
/** The speed (and ETA) show after this long: a first second's figure says more about start-up. */
const RATE_AFTER_S = 0.5;
const FULL = '█';
const EMPTY = '░';

/** `42s`, `3m05s`, `1h02m`; `-` while the speed is unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return FULL.repeat(full) + EMPTY.repeat(width - full);
}

function percent(done: number, total: number): string {
  const p = total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : 100;
  return `${String(p).padStart(3)}%`;
}

/** One piece of a live line; when the line is too wide, the lowest `rank` goes first. */
interface Field {
  readonly text: string;
  /** 0 = never dropped. */
  readonly rank: number;
}

/**
 * Joins `fields` with two spaces and puts a bar of 10–30 columns after the first one when there is
 * room in `width`; without room for a bar, fields are dropped by rank until the line fits.
 */
function layout(fields: readonly Field[], width: number, fraction: number): string {
  const parts = [...fields];
  for (;;) {
    const text = parts.map((f) => f.text).join('  ');
    const room = width - columns(text) - 2;
    if (room >= 10) {
      const [first, ...rest] = parts.map((f) => f.text);
      return [first, bar(fraction, Math.min(30, room)), ...rest].join('  ');
    }
    const droppable = parts.filter((f) => f.rank > 0);
    if (room >= -2 || droppable.length === 0) return truncateEnd(text, width);
    const lowest = droppable.reduce((a, b) => (b.rank < a.rank ? b : a));
    parts.splice(parts.indexOf(lowest), 1);
  }
}

/** A finished file's line in `width` columns: source and target shortened in the middle when needed. */
export function fittedFileLine(e: FileDone, width: number): string {
  const p = fileLineParts(e);
  const src = columns(p.source);
  const dst = columns(p.target);
  const roomWith = (tail: string) => width - columns(`${p.status}: `) - columns(' -> ') - columns(tail);
  if (src + dst <= roomWith(p.tail)) return `${p.status}: ${p.source} -> ${p.target}${p.tail}`;
  // Narrow: the file's own speed goes first (the summary has the run's), then the names shrink.
  const tail = roomWith(p.tail) >= 40 ? p.tail : p.shortTail;
  const room = roomWith(tail);
  // Too little room to keep both names readable: the whole line, wrapped by the terminal.
  if (room < 20) return `${p.status}: ${p.source} -> ${p.target}${p.tail}`;
  if (src + dst <= room) return `${p.status}: ${p.source} -> ${p.target}${tail}`;
  const srcWidth = Math.min(src, Math.max(room - dst, Math.floor(room / 2)));
  return `${p.status}: ${shortenLocation(p.source, srcWidth)} -> ${shortenLocation(p.target, room - srcWidth)}${tail}`;
}

/** A path or COS URL in `width` columns; a URL keeps its `cos://`. */
function shortenLocation(name: string, width: number): string {
  const scheme = 'cos://';
  if (!name.startsWith(scheme) || columns(name) <= width) return shortenMiddle(name, width);
  return scheme + shortenMiddle(name.slice(scheme.length), width - scheme.length);
}

interface InFlight {
  readonly event: FileEvent;
  /** Bytes done, reused ones included. */
  bytes: number;
  /** Bytes an earlier run moved. */
  reused: number;
}

export class TtyReporter implements Reporter {
  readonly #draw: ReturnType<typeof createLogUpdate>;
  readonly #verbose: boolean;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #started = performance.now();
  /**
   * Lines to print above the live area at the next frame, each fitted to the width at that
   * moment: a file that finished just before a resize is printed at the new width.
   */
  #pending: ((width: number) => string)[] = [];
  /** The live area as last drawn (for erasing it after a resize). */
  #frame: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #dirty = true;
  #active = true;
  #totalFiles = 0;
  #finishedFiles = 0;
  #totalBytes = 0;
  /** Bytes of finished files (done, skipped or failed). */
  #finishedBytes = 0;
  /** Bytes this run moved over the network, finished files only. */
  #movedFinished = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    options: { verbose?: boolean } = {},
  ) {
    this.#verbose = options.verbose ?? false;
    this.#draw = createLogUpdate(stream);
    stream.on('resize', this.#onResize);
    // A second Ctrl-C exits at once: the live area goes with the process, not left on the screen.
    process.on('exit', this.#onExit);
    this.#timer = setInterval(() => this.#tick(), FRAME_MS);
    this.#timer.unref();
  }

  get #width(): number {
    // One column short of the edge: a line that fills it would leave the cursor in the wrap state.
    return Math.max(20, (this.stream.columns || 80) - 1);
  }

  /** Bytes moved by this run so far, and its speed in bytes/s (0 while unknown). */
  #moved(): { moved: number; rate: number } {
    let moved = this.#movedFinished;
    for (const f of this.#inFlight.values()) moved += Math.max(0, f.bytes - f.reused);
    const seconds = (performance.now() - this.#started) / 1000;
    return { moved, rate: seconds >= RATE_AFTER_S && moved > 0 ? moved / seconds : 0 };
  }

  #render(): string[] {
    const width = this.#width;
    let done = this.#finishedBytes;
    for (const f of this.#inFlight.values()) done += f.bytes;
    const { rate } = this.#moved();
    const total = Math.max(this.#totalBytes, done);
    // What is left to move at this run's speed; bytes to be reused are not known until their file starts.
    const eta = rate > 0 ? formatEta((total - done) / rate) : '-';
    // At 60 columns and less the file count goes first, then the byte counts; the speed and the
    // ETA stay.
    const lines = [
      layout(
        [
          { text: percent(done, total), rank: 0 },
          { text: `${formatBytes(done)}/${formatBytes(total)}`, rank: 2 },
          { text: rate > 0 ? formatRate(rate) : '-/s', rank: 0 },
          { text: `ETA ${eta}`, rank: 0 },
          { text: `${this.#finishedFiles}/${this.#totalFiles} files`, rank: 1 },
        ],
        width,
        total > 0 ? done / total : 1,
      ),
    ];
    const rows = this.stream.rows || 24;
    const room = Math.max(0, Math.min(MAX_FILE_LINES, rows - 3));
    const files = [...this.#inFlight.values()];
    const shown = files.length > room ? files.slice(0, Math.max(0, room - 1)) : files;
    for (const f of shown) {
      const size = f.event.size;
      const stats = `${percent(f.bytes, size)}  ${formatBytes(f.bytes)}/${formatBytes(size)}`.padEnd(
        STATS_WIDTH,
      );
      // The name column has one width for every file (room for the longest stats), so bars line up.
      const nameRoom = Math.max(8, Math.min(48, width - STATS_WIDTH - 16));
      const name = shortenMiddle(f.event.source, nameRoom);
      const padded = name + ' '.repeat(Math.max(0, nameRoom - columns(name)));
      lines.push(
        layout(
          [
            { text: `  ${padded}`, rank: 0 },
            { text: stats, rank: 0 },
          ],
          width,
          size > 0 ? f.bytes / size : 1,
        ),
      );
    }
    if (shown.length < files.length) lines.push(`  … and ${files.length - shown.length} more in flight`);
    return lines;
  }

  #tick(): void {
    if (!this.#active) return;
    if (this.#pending.length > 0) {
      // persist() erases the live area, prints the lines and forgets the area; it is drawn again below.
      this.#draw.persist(this.#takePending());
      this.#frame = [];
      this.#dirty = true;
    }
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#frame = this.#render();
    this.#draw(this.#frame.join('\n'));
  }

  /**
   * After a resize the terminal re-wraps what is on screen: the live area may now take more rows
   * than log-update knows of. Erase exactly the rows it takes at the new width, then draw afresh.
   */
  readonly #onResize = (): void => {
    if (!this.#active || this.#frame.length === 0) return;
    const cols = this.stream.columns || 80;
    const rows = this.#frame.reduce((sum, line) => sum + Math.max(1, Math.ceil(columns(line) / cols)), 0);
    this.stream.write(`\r\u001b[${rows}A\u001b[J`);
    this.#draw.done();
    this.#frame = [];
    this.#dirty = true;
    this.#tick();
  };

  readonly #onExit = (): void => {
    if (this.#active) this.#close();
  };

  /** Prints what is pending, erases the live area and stops drawing. */
  #close(): void {
    if (!this.#active) return;
    if (this.#pending.length > 0) this.#draw.persist(this.#takePending());
    else this.#draw.clear();
    this.#draw.done();
    this.#active = false;
    clearInterval(this.#timer);
    this.stream.off('resize', this.#onResize);
    process.off('exit', this.#onExit);
  }

  #print(line: string | ((width: number) => string)): void {
    this.#pending.push(typeof line === 'string' ? () => line : line);
  }

  /** The pending lines fitted to the width now, joined; none are pending after. */
  #takePending(): string {
    const width = this.#width;
    const text = this.#pending.map((fit) => fit(width)).join('\n');
    this.#pending = [];
    return text;
  }

  total(files: number, bytes: number): void {
    this.#totalFiles = files;
    this.#totalBytes = bytes;
    this.#dirty = true;
  }

  fileStart(e: FileEvent): void {
    this.#inFlight.set(e.source, { event: e, bytes: 0, reused: 0 });
    this.#dirty = true;
  }

  fileResumed(source: string, reusedBytes: number): void {
    const f = this.#inFlight.get(source);
    if (!f) return;
    f.reused = reusedBytes;
    const event = f.event;
    this.#print((width) => {
      const line = resumeLine(event, reusedBytes);
      const over = columns(line) - width;
      const name = event.source;
      return over > 0
        ? resumeLine(
            { ...event, source: shortenLocation(name, Math.max(8, columns(name) - over)) },
            reusedBytes,
          )
        : line;
    });
  }

  fileProgress(source: string, bytes: number): void {
    const f = this.#inFlight.get(source);
    if (!f || bytes <= f.bytes) return;
    f.bytes = bytes;
    this.#dirty = true;
  }

  fileDone(e: FileDone): void {
    this.#inFlight.delete(e.source);
    this.#finishedFiles++;
    this.#finishedBytes += e.size;
    this.#movedFinished += e.bytesSent ?? (e.status === 'skipped' ? 0 : e.size);
    this.#dirty = true;
    if (e.status === 'skipped' && !this.#verbose) return;
    this.#print((width) => fittedFileLine(e, width));
  }

  removed(target: string): void {
    this.#print(`deleted: ${target}`);
  }

  info(text: string): void {
    this.#print(text);
  }

  stop(): void {
    this.#close();
  }

  finish(s: Summary, failures: readonly FileDone[]): void {
    this.#close();
    this.stream.write(`${failureList(failures, s)}${summaryLine(s)}\n`);
  }
}
