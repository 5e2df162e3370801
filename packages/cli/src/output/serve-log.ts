/**
 * `coskit serve`'s log: the server writes pino JSON lines; on a terminal (or with
 * `--log-format human`) each becomes one short line a person reads —
 * `14:02:03 PUT Object      200  photos-1250000000/a.jpg  1.2 MiB in, 3 ms  (req 1a2b…)` —
 * and with `--log-format json` (the default elsewhere) they pass through as they are.
 */
import { Writable } from 'node:stream';
import { formatBytes } from './units.js';

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** One human line for one pino record. */
export function humanLogLine(record: Record<string, unknown>): string {
  const time = new Date(typeof record['time'] === 'number' ? record['time'] : Date.now())
    .toISOString()
    .slice(11, 19);
  if (record['msg'] === 'request') {
    const where = [record['bucket'], record['key']]
      .filter((x) => typeof x === 'string' && x !== '')
      .join('/');
    const bytesIn = Number(record['bytesIn'] ?? 0);
    const bytesOut = Number(record['bytesOut'] ?? 0);
    const sizes = [
      bytesIn > 0 ? `${formatBytes(bytesIn)} in` : '',
      bytesOut > 0 ? `${formatBytes(bytesOut)} out` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const op = String(record['op'] ?? record['method'] ?? '?');
    return `${time} ${String(record['method'] ?? '').padEnd(6)} ${op.padEnd(24)} ${String(record['status'] ?? '')}  ${where || '/'}${sizes ? `  ${sizes}` : ''}  ${record['ms'] ?? '?'} ms  (req ${String(record['requestId'] ?? '-')})`;
  }
  const level = LEVELS[Number(record['level'])] ?? 'info';
  const err = record['err'] as { message?: string } | undefined;
  return `${time} ${level}: ${String(record['msg'] ?? '')}${err?.message ? `: ${err.message}` : ''}`;
}

/** A stream for the server's `logDestination` that writes human lines to `out`. */
export function humanLogStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      pending += chunk.toString();
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          out.write(`${humanLogLine(JSON.parse(line) as Record<string, unknown>)}\n`);
        } catch {
          out.write(`${line}\n`);
        }
        nl = pending.indexOf('\n');
      }
      callback();
    },
  });
}
