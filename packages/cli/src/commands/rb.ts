/** `coskit rb cos://bucket`: remove a bucket (with --force, its objects and unfinished uploads first). */
import type { Command } from 'commander';
import { parseBucketUrl } from '../cos-url.js';
import { CliError, describeError } from '../errors.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';
import { listUploads } from '../transfer/listing.js';
import { removePrefix } from './rm.js';

export function registerRb(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('rb')
    .summary('remove a bucket')
    .description(
      prose(`Remove an empty bucket. With --force, first delete every object and abort every unfinished
multipart upload in it.`),
    )
    .argument('<bucket>', 'cos://bucket')
    .option('--force', 'empty the bucket first (objects and unfinished uploads)');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit rb cos://scratch-1250000000
  $ coskit rb cos://scratch-1250000000 --force

${EXIT_CODES_HELP}`,
    )
    .action(async (bucket: string, flags: CommonFlags & { force?: boolean }) => {
      const loc = parseBucketUrl(bucket);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        if (flags.force) {
          const code = await removePrefix(s, print, loc.bucket, '', {});
          if (code !== EXIT.ok) return code;
          for await (const u of listUploads(s.client, loc.bucket, '', s.signal)) {
            await s.client.abortMultipartUpload({
              Bucket: loc.bucket,
              Key: u.key,
              UploadId: u.uploadId,
              signal: s.signal,
            });
            print.action(`aborted: cos://${loc.bucket}/${u.key} ${u.uploadId}`, {
              event: 'aborted',
              key: u.key,
              uploadId: u.uploadId,
            });
          }
        }
        try {
          await s.client.deleteBucket({ Bucket: loc.bucket, signal: s.signal });
        } catch (err) {
          if ((err as { errorCode?: string }).errorCode === 'BucketNotEmpty') {
            throw new CliError(
              EXIT.partial,
              `${describeError(err, s.conn)}: delete its objects first (coskit rm -r cos://${loc.bucket}/), or use --force.`,
              { cause: err },
            );
          }
          throw err;
        }
        print.action(`removed: cos://${loc.bucket}`, { event: 'removed', bucket: loc.bucket });
        return EXIT.ok;
      });
    });
}
