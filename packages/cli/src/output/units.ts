/** Human-readable sizes and rates (binary units, as ls -h and rclone print them). */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Parses `8M`, `64MiB`, `1g`, `4096` into bytes; undefined if malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

/** Parses `90s`, `15m`, `2h`, `7d` into seconds; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * factor;
}
