/**
 * Which segments of an appendable object to merge. Every APPEND adds a segment (its own blob), so
 * without merging, 10 000 appends make a 10 000-entry record rewritten on each append and 10 000
 * file opens per GET. The local store merges runs of small segments in the background, like a
 * base-16 counter: 16 adjacent level-0 segments (one append each) become one level-1 blob, 16
 * level-1 blobs one level-2 blob, and so on. Once merging has caught up, a segment list holds at
 * most {@link FANOUT} − 1 segments per level (10 000 appends: 2 + 7 + 1 + 0 = 10 segments), and
 * each appended byte is rewritten once per level (log16 of 4 MiB over the append size: at most 6
 * times, for 1-byte appends).
 *
 * Segments larger than {@link MAX_MERGED_BYTES} / {@link FANOUT} are never merged: they are few
 * per byte already, and merging them would rewrite large amounts of data for little gain.
 */
import type { Segment } from '../records.js';

/** Segments merged into one blob at a time. */
export const FANOUT = 16;
/** Most bytes one merge writes (64 MiB); bounds the work and the time a merge holds readers. */
export const MAX_MERGED_BYTES = 64 * 1024 * 1024;

/** A run of segments to merge: `segments[start … start + FANOUT - 1]`, all of one level. */
export interface CompactionPlan {
  readonly start: number;
  readonly level: number;
  readonly size: number;
}

const levelOf = (s: Segment) => s.level ?? 0;
const mergeable = (s: Segment) => s.size <= MAX_MERGED_BYTES / FANOUT;

/** The first run of {@link FANOUT} adjacent mergeable segments of one level, or undefined. */
export function planCompaction(segments: readonly Segment[]): CompactionPlan | undefined {
  let runStart = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (!mergeable(s)) {
      runStart = i + 1;
      continue;
    }
    if (i > runStart && levelOf(segments[i - 1]!) !== levelOf(s)) runStart = i;
    if (i - runStart + 1 === FANOUT) {
      let size = 0;
      for (let j = runStart; j <= i; j++) size += segments[j]!.size;
      return { start: runStart, level: levelOf(s), size };
    }
  }
  return undefined;
}

/** Whether `segments` still holds `window` at `start` (no overwrite or other merge came between). */
export function stillHolds(segments: readonly Segment[], start: number, window: readonly Segment[]): boolean {
  return window.every((w, i) => segments[start + i]?.blob === w.blob);
}
