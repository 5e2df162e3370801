/** `coskit multipart ls | parts | abort`: unfinished multipart uploads. */
import type { Command } from 'commander';
import { checkKey, formatCosUrl, parseCosUrl, parseObjectUrl } from '../cos-url.js';
import { describeError, errorCodeOf, isFatal } from '../errors.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { parseCutoffFlag } from '../options/values.js';
import { prose } from '../output/help.js';
import { Printer, shortDate } from '../output/printer.js';
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { listParts, listUploads, type RemoteUpload } from '../transfer/listing.js';
import { UsageError } from '../usage-error.js';

export function registerMultipart(program: Command, runtime: Runtime): void {
  const group = program
    .command('multipart')
    .summary('list, inspect and abort unfinished multipart uploads')
    .description(
      prose(`Unfinished multipart uploads keep their parts (and their storage cost) until completed or
aborted. coskit resumes its own from checkpoints; these commands show and clean up the rest.`),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ coskit multipart ls cos://media-1250000000
  $ coskit multipart parts cos://media-1250000000/big.mp4 1712345678abcdef
  $ coskit multipart abort cos://media-1250000000/big.mp4 1712345678abcdef
  $ coskit multipart abort cos://media-1250000000 --older-than 24h`,
    );

  const ls = group
    .command('ls')
    .summary('list unfinished uploads under a prefix')
    .description('List the unfinished multipart uploads under a bucket or prefix, by key.')
    .argument('<location>', 'cos://bucket[/prefix]');
  addCommonOptions(ls);
  ls.addHelpText(
    'after',
    `\nExample:\n  $ coskit multipart ls cos://media-1250000000/videos/\n\n${EXIT_CODES_HELP}`,
  ).action(async (location: string, flags: CommonFlags) => {
    const loc = parseCosUrl(location);
    await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
      const print = new Printer(flags, s.stdout, s.stderr);
      let count = 0;
      const uploads = [];
      for await (const u of listUploads(s.client, loc.bucket, loc.key, s.signal)) uploads.push(u);
      // The upload id column is as wide as the longest id, so the keys line up.
      const idWidth = Math.max(9, ...uploads.map((u) => u.uploadId.length));
      if (uploads.length > 0)
        print.header(`${'INITIATED (UTC)'.padEnd(19)}  ${'UPLOAD ID'.padEnd(idWidth)}  KEY`);
      for (const u of uploads) {
        count++;
        print.emit(`${shortDate(u.initiated)}  ${u.uploadId.padEnd(idWidth)}  ${u.key}`, {
          type: 'upload',
          key: u.key,
          uploadId: u.uploadId,
          initiated: u.initiated,
          storageClass: u.storageClass,
        });
      }
      print.note(`${count} unfinished upload(s)`);
      return EXIT.ok;
    });
  });

  const parts = group
    .command('parts')
    .summary('list the parts an upload has received')
    .description('List the parts an unfinished multipart upload has received.')
    .argument('<object>', 'cos://bucket/key')
    .argument('<uploadId>', 'the upload (see coskit multipart ls)');
  addCommonOptions(parts);
  parts
    .addHelpText(
      'after',
      `\nExample:\n  $ coskit multipart parts cos://media-1250000000/big.mp4 1712345678abcdef\n\n${EXIT_CODES_HELP}`,
    )
    .action(async (object: string, uploadId: string, flags: CommonFlags) => {
      const loc = parseObjectUrl(object);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        let count = 0;
        let bytes = 0;
        let headed = false;
        for await (const p of listParts(s.client, loc.bucket, loc.key, uploadId, s.signal)) {
          count++;
          bytes += p.size;
          if (!headed) {
            headed = true;
            print.header(
              `${'PART'.padStart(5)}  ${'SIZE'.padStart(12)}  ${'ETAG'.padEnd(34)}  LAST MODIFIED (UTC)`,
            );
          }
          print.emit(
            `${String(p.partNumber).padStart(5)}  ${String(p.size).padStart(12)}  ${p.etag.padEnd(34)}  ${shortDate(p.lastModified)}`,
            {
              type: 'part',
              partNumber: p.partNumber,
              size: p.size,
              etag: p.etag,
              lastModified: p.lastModified,
            },
          );
        }
        print.note(`${count} part(s), ${formatBytes(bytes)}`);
        return EXIT.ok;
      });
    });

  const abort = group
    .command('abort')
    .summary('abort one, or all older than a duration')
    .description(
      prose(`Abort one upload (cos://bucket/key UPLOADID), or with --older-than every upload under a bucket or
prefix that was started longer ago than the duration. Aborted parts are deleted by the server.`),
    )
    .argument('<location>', 'cos://bucket/key with UPLOADID, or cos://bucket[/prefix] with --older-than')
    .argument('[uploadId]', 'the upload to abort')
    .option(
      '--older-than <duration|date>',
      'abort every upload started longer ago than this (90m, 24h, 7d, 1h30m) or before this date (2026-11-30, 2026-11-30T12:00:00Z)',
    )
    .option('--dry-run', 'with --older-than: print what would be aborted; abort nothing');
  addCommonOptions(abort);
  abort
    .addHelpText(
      'after',
      `
Examples:
  $ coskit multipart abort cos://media-1250000000/big.mp4 1712345678abcdef
  $ coskit multipart abort cos://media-1250000000/videos/ --older-than 7d

${EXIT_CODES_HELP}`,
    )
    .action(
      async (
        location: string,
        uploadId: string | undefined,
        flags: CommonFlags & { olderThan?: string; dryRun?: boolean },
      ) => {
        const loc = parseCosUrl(location);
        if (uploadId !== undefined && flags.olderThan !== undefined) {
          throw new UsageError('give either an UPLOADID or --older-than, not both.');
        }
        if (uploadId === undefined && flags.olderThan === undefined) {
          throw new UsageError(
            'say which uploads to abort: cos://bucket/key UPLOADID, or cos://bucket[/prefix] --older-than 24h.',
          );
        }
        const cutoff =
          flags.olderThan === undefined
            ? undefined
            : parseCutoffFlag(flags.olderThan, '--older-than', Date.now());
        if (uploadId !== undefined) {
          if (loc.key === '')
            throw new UsageError(`name the upload's object: cos://${loc.bucket}/<key> ${uploadId}.`);
          checkKey(location, loc.key);
        }
        await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
          const print = new Printer(flags, s.stdout, s.stderr);
          if (uploadId !== undefined) {
            await s.client.abortMultipartUpload({
              Bucket: loc.bucket,
              Key: loc.key,
              UploadId: uploadId,
              signal: s.signal,
            });
            print.action(`aborted: ${formatCosUrl(loc.bucket, loc.key)} ${uploadId}`, {
              event: 'aborted',
              key: loc.key,
              uploadId,
            });
            return EXIT.ok;
          }
          return abortOlder(s, print, loc.bucket, loc.key, cutoff ?? Date.now(), flags.dryRun ?? false);
        });
      },
    );
}

async function abortOlder(
  s: Session,
  print: Printer,
  bucket: string,
  prefix: string,
  /** Epoch ms: uploads initiated at or before it are aborted. */
  cutoff: number,
  dryRun: boolean,
): Promise<number> {
  const old: RemoteUpload[] = [];
  let total = 0;
  for await (const u of listUploads(s.client, bucket, prefix, s.signal)) {
    total++;
    const started = Date.parse(u.initiated);
    if (!Number.isNaN(started) && started <= cutoff) old.push(u);
  }
  let aborted = 0;
  let failed = 0;
  for (const u of old) {
    const target = formatCosUrl(bucket, u.key);
    const value = { key: u.key, uploadId: u.uploadId, initiated: u.initiated };
    if (dryRun) {
      print.emit(`would abort: ${target} ${u.uploadId} (started ${shortDate(u.initiated)})`, {
        event: 'would-abort',
        ...value,
      });
      continue;
    }
    try {
      await s.client.abortMultipartUpload({
        Bucket: bucket,
        Key: u.key,
        UploadId: u.uploadId,
        signal: s.signal,
      });
      aborted++;
      print.action(`aborted: ${target} ${u.uploadId} (started ${shortDate(u.initiated)})`, {
        event: 'aborted',
        ...value,
      });
    } catch (err) {
      if (s.signal.aborted || (aborted === 0 && isFatal(err))) throw err;
      failed++;
      print.failure(`failed: ${target} ${u.uploadId}: ${describeError(err, s.conn)}`, {
        ...value,
        error: describeError(err, s.conn),
        code: errorCodeOf(err),
      });
    }
  }
  print.note(
    dryRun
      ? `dry run: ${old.length} of ${total} upload(s) would be aborted`
      : `${aborted} of ${total} upload(s) aborted, ${failed} failed, ${total - old.length} newer kept`,
  );
  return failed > 0 ? EXIT.partial : EXIT.ok;
}
