/** `coskit rm cos://bucket/key` (one object) or `rm -r cos://bucket/prefix/` (everything under a prefix). */
import { setMaxListeners } from 'node:events';
import { pathFilter } from '@coskit/client';
import { type Command, Option } from 'commander';
import { checkKey, folderPrefix, formatCosUrl, parseCosUrl } from '../cos-url.js';
import { describeError, errorCodeOf, isFatal } from '../errors.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags, collect } from '../options/common.js';
import { parseIntFlag } from '../options/values.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { listAllObjects } from '../transfer/listing.js';
import { forEachLimit } from '../transfer/pool.js';
import { UsageError } from '../usage-error.js';

interface RmFlags extends CommonFlags {
  recursive?: boolean;
  include?: string[];
  exclude?: string[];
  dryRun?: boolean;
  threads: string;
}

export function registerRm(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('rm')
    .summary('delete an object, or everything under a prefix with -r')
    .description(
      prose(`Delete one object, or with -r every object under a prefix (cos://bucket/prefix/ — a prefix without a
trailing "/" is taken as that folder; cos://bucket/ with -r empties the bucket). Unfinished
multipart uploads are not touched: see coskit multipart abort.`),
    )
    .argument('<location>', 'cos://bucket/key, or cos://bucket/prefix/ with -r')
    .option('-r, --recursive', 'delete every object under the prefix')
    .option('--include <glob>', 'with -r: only keys matching this glob (repeatable)', collect)
    .option('--exclude <glob>', 'with -r: keep keys matching this glob (repeatable)', collect)
    .option('--dry-run', 'print what would be deleted; delete nothing')
    .addOption(new Option('--threads <n>', 'deletes in flight').default('16', '16'));
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit rm cos://media-1250000000/videos/old.mp4
  $ coskit rm -r cos://logs-1250000000/2025/ --include '*.gz' --dry-run
  $ coskit rm -r cos://scratch-1250000000/

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string, flags: RmFlags) => {
      const loc = parseCosUrl(location);
      const threads = parseIntFlag(flags.threads, '--threads', 1, 256);
      const filters = (flags.include?.length ?? 0) + (flags.exclude?.length ?? 0) > 0;
      if (!flags.recursive) {
        if (filters) throw new UsageError('--include/--exclude select keys under a prefix: add -r.');
        if (loc.key === '' || loc.key.endsWith('/')) {
          throw new UsageError(`"${location}" is a bucket or folder: add -r to delete everything under it.`);
        }
        checkKey(location, loc.key);
      }
      await withSession(runtime, flags, {}, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        if (!flags.recursive) {
          const target = formatCosUrl(loc.bucket, loc.key);
          if (flags.dryRun) {
            print.emit(`would delete: ${target}`, { event: 'would-delete', target });
            return EXIT.ok;
          }
          await s.client.deleteObject({ Bucket: loc.bucket, Key: loc.key, signal: s.signal });
          print.action(`deleted: ${target}`, { event: 'deleted', target });
          return EXIT.ok;
        }
        return removePrefix(s, print, loc.bucket, folderPrefix(loc.key), flags, threads);
      });
    });
}

/** Deletes (or with dryRun lists) every object under `prefix` that passes the filters. */
export async function removePrefix(
  s: Session,
  print: Printer,
  bucket: string,
  prefix: string,
  flags: { include?: string[]; exclude?: string[]; dryRun?: boolean },
  threads: number,
): Promise<number> {
  const keep = pathFilter(flags.include ?? [], flags.exclude ?? []);
  const keys: string[] = [];
  for await (const o of listAllObjects(s.client, bucket, prefix, s.signal)) {
    if (keep(o.key.slice(prefix.length) || o.key)) keys.push(o.key);
  }
  if (flags.dryRun) {
    for (const key of keys) {
      const target = formatCosUrl(bucket, key);
      print.emit(`would delete: ${target}`, { event: 'would-delete', target });
    }
    print.note(`dry run: ${keys.length} object(s) would be deleted`);
    return EXIT.ok;
  }
  let deleted = 0;
  let failed = 0;
  let fatal: unknown;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const signal = AbortSignal.any([s.signal, stop.signal]);
  await forEachLimit(keys, threads, signal, async (key) => {
    const target = formatCosUrl(bucket, key);
    try {
      await s.client.deleteObject({ Bucket: bucket, Key: key, signal });
      deleted++;
      print.action(`deleted: ${target}`, { event: 'deleted', target });
    } catch (err) {
      if (signal.aborted) return;
      if (deleted === 0 && isFatal(err)) {
        fatal = err;
        stop.abort();
        return;
      }
      failed++;
      print.failure(`failed: ${target}: ${describeError(err, s.conn)}`, {
        target,
        error: describeError(err, s.conn),
        code: errorCodeOf(err),
      });
    }
  });
  if (fatal !== undefined) throw fatal;
  print.note(`done: ${deleted} deleted, ${failed} failed`);
  return failed > 0 ? EXIT.partial : EXIT.ok;
}
