/**
 * Fitting text into terminal columns: widths measured by `string-width` (CJK and emoji take two
 * columns), names shortened in the middle so that both the start of a path and its extension stay
 * readable (`photos/2026/ho…day-1234.jpg`).
 */
import stringWidth from 'string-width';

export const ELLIPSIS = '…';

/** Columns `text` takes on a terminal. */
export function columns(text: string): number {
  return stringWidth(text);
}

/** The longest start of `text` that fits in `width` columns. */
function headOf(text: string, width: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/** The longest end of `text` that fits in `width` columns. */
function tailOf(text: string, width: number): string {
  const chars = [...text];
  let out = '';
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = stringWidth(chars[i]!);
    if (used + w > width) break;
    out = chars[i]! + out;
    used += w;
  }
  return out;
}

/**
 * `name` in at most `width` columns: as is when it fits, else its start, `…`, and its end — the end
 * keeps the extension (up to 12 characters of it) and as much of the file name as fits beside a
 * few columns of the start (at least 60 % of the room).
 */
export function shortenMiddle(name: string, width: number): string {
  if (columns(name) <= width) return name;
  if (width <= 1) return width === 1 ? ELLIPSIS : '';
  const room = width - 1;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : '';
  const slash = name.lastIndexOf('/');
  const base = slash >= 0 ? name.slice(slash + 1) : name;
  // The file name as far as it goes, keeping a few columns of the start (where it comes from).
  const headMin = Math.min(6, Math.floor(room / 3));
  const tailWidth = Math.min(room - headMin, Math.max(columns(ext), Math.ceil(room * 0.6), columns(base)));
  const tail = tailOf(name, tailWidth);
  const head = headOf(name, room - columns(tail));
  return `${head}${ELLIPSIS}${tail}`;
}

/** `text` cut to `width` columns (a trailing `…` when cut). */
export function truncateEnd(text: string, width: number): string {
  if (columns(text) <= width) return text;
  if (width <= 1) return width === 1 ? ELLIPSIS : '';
  return `${headOf(text, width - 1)}${ELLIPSIS}`;
}
