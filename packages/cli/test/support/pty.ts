/**
 * The CLI in a real pseudo-terminal, as a person sees it: `script` (util-linux; Debian's essential
 * `bsdutils` package, so on every Debian machine) runs `coskit` on a pty of a chosen size, and the
 * bytes it writes are rendered by xterm.js's headless terminal into the screen a terminal would
 * show, scrollback included. Keys (Ctrl-C) go to the pty; a resize in the middle is `stty` on the
 * pty (the kernel sends SIGWINCH) with a marker in the byte stream where the emulator resizes too.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { BIN, cleanEnv } from './harness.js';

const { Terminal } = xterm;

/** Marks where the pty was resized (an OSC sequence terminals ignore). */
const RESIZE_MARK = '\u001b]777;coskit-test-resize\u0007';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface PtyOptions {
  readonly cols: number;
  readonly rows: number;
  readonly env: Record<string, string>;
  readonly cwd?: string;
  /**
   * Resize the pty to this many columns once the output shows `when` (a point in the run, not a
   * time: the same on a fast and on a loaded machine).
   */
  readonly resize?: { readonly cols: number; readonly when: RegExp };
}

export interface PtyRun {
  /** Resolves when `text` has appeared in the output so far. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends bytes as typed keys (`\x03` is Ctrl-C). */
  type(keys: string): void;
  /** Exit code of coskit (script -e passes it on) and the raw bytes written to the terminal. */
  readonly done: Promise<{ code: number | null; raw: string }>;
}

export function startPty(args: readonly string[], options: PtyOptions): PtyRun {
  const cli = ['exec', quote(process.execPath), quote(BIN), ...args.map(quote)].join(' ');
  // The shell resizes when this file appears (written once the output shows `resize.when`).
  const go = join(tmpdir(), `coskit-pty-resize-${randomUUID()}`);
  const body = options.resize
    ? // In the background so that the shell can resize meanwhile; without job control it stays in
      // the terminal's foreground group, so it gets SIGINT and SIGWINCH like a foreground command.
      `${cli.replace(/^exec /, '')} & pid=$!; while [ ! -e ${quote(go)} ] && kill -0 $pid 2>/dev/null; do sleep 0.02; done; rm -f ${quote(go)}; printf '${RESIZE_MARK.replace('\u001b', '\\033').replace('\u0007', '\\007')}'; stty cols ${options.resize.cols}; wait $pid`
    : cli;
  const command = `stty cols ${options.cols} rows ${options.rows}; ${body}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: cleanEnv({ ...options.env, TERM: 'xterm-256color' }),
    stdio: ['pipe', 'pipe', 'inherit'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let raw = '';
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  const resize = options.resize;
  if (resize) waiters.push({ test: (s) => resize.when.test(s), resolve: () => writeFileSync(go, '') });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    for (const w of [...waiters]) {
      if (w.test(raw)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const done = new Promise<{ code: number | null; raw: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, raw })),
  );
  return {
    done,
    type: (keys) => child.stdin.write(keys),
    waitFor: (text, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
        if (test(raw)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${String(text)}; output so far:\n${raw}`)),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}

export interface Screen {
  /** Every row of the scrollback and the visible screen, trailing spaces removed, trailing empty rows dropped. */
  readonly rows: string[];
  /** The same with rows the terminal wrapped joined into the line that was written. */
  readonly lines: string[];
  /** How many rows continue a wrapped line. */
  readonly wrapped: number;
}

/** The screen after `raw`; `resizeTo` columns apply at the resize marker. */
export async function renderScreen(
  raw: string,
  size: { cols: number; rows: number; resizeTo?: number },
): Promise<Screen> {
  const term = new Terminal({ cols: size.cols, rows: size.rows, scrollback: 10_000, allowProposedApi: true });
  const write = (data: string) => new Promise<void>((resolve) => term.write(data, resolve));
  const at = raw.indexOf(RESIZE_MARK);
  if (at >= 0 && size.resizeTo !== undefined) {
    await write(raw.slice(0, at));
    term.resize(size.resizeTo, size.rows);
    await write(raw.slice(at + RESIZE_MARK.length));
  } else await write(raw);
  const buffer = term.buffer.active;
  const rows: string[] = [];
  const lines: string[] = [];
  let wrapped = 0;
  for (let i = 0; i < buffer.length; i++) {
    const row = buffer.getLine(i);
    const text = row?.translateToString(true) ?? '';
    rows.push(text);
    if (row?.isWrapped && lines.length > 0) {
      wrapped++;
      lines[lines.length - 1] += text;
    } else lines.push(text);
  }
  term.dispose();
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { rows, lines, wrapped };
}
