/** `coskit rm cos://bucket/key` (one object) or `rm -r cos://bucket/prefix/` (everything under a prefix). */
import { pathFilter } from '@coskit/client';
import type { Command } from 'commander';
import { checkKey, folderPrefix, formatCosUrl, parseCosUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags, collect } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { deleteKeys } from '../transfer/delete-keys.js';
import { listAllObjects } from '../transfer/listing.js';
import { UsageError } from '../usage-error.js';

interface RmFlags extends CommonFlags {
  recursive?: boolean;
  include?: string[];
  exclude?: string[];
  dryRun?: boolean;
  versionId?: string;
}

export function registerRm(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('rm')
    .summary('delete an object, or everything under a prefix with -r')
    .description(
      prose(`Delete one object, or with -r every object under a prefix (cos://bucket/prefix/ — a prefix without a
trailing "/" is taken as that folder; cos://bucket/ with -r empties the bucket). Unfinished
multipart uploads are not touched: see coskit multipart abort. A key that does not exist is
reported and exits 1.`),
    )
    .argument('<location>', 'cos://bucket/key, or cos://bucket/prefix/ with -r')
    .option('-r, --recursive', 'delete every object under the prefix')
    .option('--include <glob>', 'with -r: only keys matching this glob (repeatable)', collect)
    .option('--exclude <glob>', 'with -r: keep keys matching this glob (repeatable)', collect)
    .option('--version-id <id>', 'delete this version of the object for good (a versioned bucket)')
    .option('--dry-run', 'print what would be deleted; delete nothing');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit rm cos://media-1250000000/videos/old.mp4
  $ coskit rm -r cos://logs-1250000000/2025/ --include '*.gz' --dry-run
  $ coskit rm -r cos://scratch-1250000000/
  $ coskit rm cos://docs-1250000000/a.pdf --version-id MTg0NDUxNTc1NjIzMTQ1MDAw

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string, flags: RmFlags) => {
      const loc = parseCosUrl(location);
      const filters = (flags.include?.length ?? 0) + (flags.exclude?.length ?? 0) > 0;
      if (flags.versionId !== undefined) {
        if (flags.recursive)
          throw new UsageError('--version-id names one version of one object: drop -r and name the key.');
        if (!/^[\x21-\x7e]{1,1024}$/.test(flags.versionId))
          throw new UsageError(
            `--version-id must be a version id as coskit ls --versions prints it (printable, no spaces); got "${flags.versionId}".`,
          );
      }
      if (!flags.recursive) {
        if (filters) throw new UsageError('--include/--exclude select keys under a prefix: add -r.');
        if (loc.key === '' || loc.key.endsWith('/')) {
          throw new UsageError(`"${location}" is a bucket or folder: add -r to delete everything under it.`);
        }
        checkKey(location, loc.key);
      }
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        if (!flags.recursive) {
          const target = formatCosUrl(loc.bucket, loc.key);
          const version = flags.versionId === undefined ? {} : { versionId: flags.versionId };
          const shown = flags.versionId === undefined ? target : `${target} (version ${flags.versionId})`;
          // COS answers 204 to deleting a key that is not there: ask first, so a typo is not "deleted".
          if (flags.versionId === undefined) {
            const exists = await s.client
              .headObject({ Bucket: loc.bucket, Key: loc.key, signal: s.signal })
              .then(
                () => true,
                (err: { statusCode?: number }) => {
                  if (err.statusCode === 404) return false;
                  throw err;
                },
              );
            if (!exists) {
              print.failure(`coskit: ${target} does not exist; nothing deleted`, {
                target,
                error: 'no such object',
                code: 'NoSuchKey',
              });
              return EXIT.partial;
            }
          }
          if (flags.dryRun) {
            print.emit(`would delete: ${shown}`, { event: 'would-delete', target, ...version });
            return EXIT.ok;
          }
          await s.client.deleteObject({
            Bucket: loc.bucket,
            Key: loc.key,
            signal: s.signal,
            ...(flags.versionId === undefined ? {} : { VersionId: flags.versionId }),
          });
          print.action(`deleted: ${shown}`, { event: 'deleted', target, ...version });
          return EXIT.ok;
        }
        return removePrefix(s, print, loc.bucket, folderPrefix(loc.key), flags);
      });
    });
}

/** Deletes (or with dryRun lists) every object under `prefix` that passes the filters, 1000 a request. */
export async function removePrefix(
  s: Session,
  print: Printer,
  bucket: string,
  prefix: string,
  flags: { include?: string[]; exclude?: string[]; dryRun?: boolean },
): Promise<number> {
  const keep = pathFilter(flags.include ?? [], flags.exclude ?? []);
  async function* selected() {
    for await (const o of listAllObjects(s.client, bucket, prefix, s.signal))
      if (keep(o.key.slice(prefix.length) || o.key)) yield o.key;
  }
  if (flags.dryRun) {
    let count = 0;
    for await (const key of selected()) {
      const target = formatCosUrl(bucket, key);
      print.emit(`would delete: ${target}`, { event: 'would-delete', target });
      count++;
    }
    print.note(`dry run: ${count} object(s) would be deleted`);
    return EXIT.ok;
  }
  let deleted = 0;
  let failed = 0;
  await deleteKeys(s, bucket, selected(), {
    onDeleted: (key) => {
      deleted++;
      const target = formatCosUrl(bucket, key);
      print.action(`deleted: ${target}`, { event: 'deleted', target });
    },
    onFailed: (key, code, message) => {
      failed++;
      const target = formatCosUrl(bucket, key);
      const error = `${code}: ${message}`;
      print.failure(`failed: ${target}: ${error}`, { target, error, code });
    },
  });
  print.note(`done: ${deleted} deleted, ${failed} failed`);
  return failed > 0 ? EXIT.partial : EXIT.ok;
}
