/** Output of the listing and management commands: text lines, or one JSON object per line with --json. */
import type { OutputFlags } from '../options/common.js';

export class Printer {
  constructor(
    readonly flags: OutputFlags,
    readonly out: NodeJS.WritableStream,
    readonly err: NodeJS.WritableStream,
  ) {}

  get json(): boolean {
    return this.flags.json ?? false;
  }

  /** A result: `text` normally, `value` as a JSON line with --json. */
  emit(text: string, value: Record<string, unknown>): void {
    this.out.write(this.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  }

  /** The header row of a table: text output only (not with --json). */
  header(text: string): void {
    if (!this.json) this.out.write(`${text}\n`);
  }

  /** A per-item action line ("deleted: …"), dropped by --quiet. */
  action(text: string, value: Record<string, unknown>): void {
    if (this.flags.quiet && !this.json) return;
    this.emit(text, value);
  }

  /** A note for people (stderr), dropped by --quiet and --json. */
  note(text: string): void {
    if (this.flags.quiet || this.json) return;
    this.err.write(`${text}\n`);
  }

  /** A failure (stderr, always; a JSON `error` line too with --json). */
  failure(text: string, value: Record<string, unknown>): void {
    if (this.json) this.out.write(`${JSON.stringify({ event: 'error', ...value })}\n`);
    this.err.write(`${text}\n`);
  }
}

/** `2026-01-02 03:04:05` in UTC from an ISO date (or the text as is). */
export function shortDate(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}
