/**
 * CPU time of a process per thread, from `/proc/PID/task/TID/stat` (Linux): utime + stime of each
 * thread, keyed by thread id (not summed by name — a Node process has several threads of the same
 * name). The main JavaScript thread is the one whose id is the process id.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on every Linux build we run on). */
const TICKS_PER_SECOND = 100;

export interface ThreadCpu {
  readonly tid: number;
  readonly name: string;
  /** utime + stime in seconds. */
  readonly seconds: number;
}

/** Every thread of `pid` now. Threads that end between listing and reading are skipped. */
export function threadCpu(pid: number): Map<number, ThreadCpu> {
  const out = new Map<number, ThreadCpu>();
  for (const name of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "tid (comm) state ..." — comm may hold spaces and parentheses: split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // After comm: state is field 3 of the stat line, utime field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    out.set(Number(name), { tid: Number(name), name: comm, seconds: ticks / TICKS_PER_SECOND });
  }
  return out;
}

export interface CpuSplit {
  readonly total: number;
  readonly main: number;
  /** Threads that used any CPU in the interval, busiest first. */
  readonly threads: readonly ThreadCpu[];
}

/** CPU seconds used by each thread of `pid` between two {@link threadCpu} snapshots. */
export function cpuBetween(
  pid: number,
  before: Map<number, ThreadCpu>,
  after: Map<number, ThreadCpu>,
): CpuSplit {
  const threads: ThreadCpu[] = [];
  for (const t of after.values()) {
    const used = t.seconds - (before.get(t.tid)?.seconds ?? 0);
    if (used > 0) threads.push({ ...t, seconds: used });
  }
  threads.sort((a, b) => b.seconds - a.seconds);
  const total = threads.reduce((s, t) => s + t.seconds, 0);
  const main = threads.find((t) => t.tid === pid)?.seconds ?? 0;
  return { total, main, threads };
}
