/** How the console writes sizes, speeds, dates and errors. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1023 B`, `1.5 KiB`, `12 MiB` (binary units, as the CLI prints them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** `3.2 MiB/s`; `–` before there is a measurement. */
export function formatSpeed(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? '–' : `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** A listing's ISO date in the reader's locale. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/**
 * What went wrong, for a person: COS errors as `Code: message` (the server's message says what to
 * change), client errors by their message.
 */
export function errorText(err: unknown): string {
  const e = err as { errorCode?: string; errorMessage?: string; message?: string } | undefined;
  if (e?.errorCode) return e.errorMessage ? `${e.errorCode}: ${e.errorMessage}` : e.errorCode;
  return e?.message ?? String(err);
}

/** The COS error code of `err`, if the server answered one. */
export function errorCodeOf(err: unknown): string | undefined {
  return (err as { errorCode?: string } | undefined)?.errorCode;
}
