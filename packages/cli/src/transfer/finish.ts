/** Ends a transfer command: summary, failures (also to `--fail-output`), exit code. */
import { writeFile } from 'node:fs/promises';
import { EXIT } from '../exit-codes.js';
import type { FileDone, Reporter } from '../output/reporter.js';
import type { BatchResult } from './run.js';

/** `--fail-output FILE`: one JSON object per failed file (the file is written, empty, even when none failed). */
async function writeFailOutput(path: string, failed: readonly FileDone[]): Promise<void> {
  const lines = failed.map((f) =>
    JSON.stringify({ source: f.source, target: f.target, size: f.size, error: f.error, code: f.code }),
  );
  await writeFile(path, lines.length ? `${lines.join('\n')}\n` : '');
}

/**
 * Reports the end of a batch and returns its exit code; rethrows a job-wide failure (exit 3 with
 * its message) after stopping the bars.
 */
export async function finishBatch(
  reporter: Reporter,
  result: BatchResult,
  failOutput: string | undefined,
  extra: { deleted?: number; extraFailures?: readonly FileDone[] } = {},
): Promise<number> {
  if (result.interrupted) {
    reporter.stop();
    return EXIT.interrupted;
  }
  if (result.fatal !== undefined) {
    reporter.stop();
    throw result.fatal;
  }
  const failed = [...result.failed, ...(extra.extraFailures ?? [])];
  reporter.finish(
    {
      ...result.summary,
      failed: failed.length,
      ...(extra.deleted !== undefined ? { deleted: extra.deleted } : {}),
    },
    failed,
  );
  if (failOutput !== undefined) await writeFailOutput(failOutput, failed);
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}
