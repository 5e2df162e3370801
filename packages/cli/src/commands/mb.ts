/** `coskit mb cos://bucket`: create a bucket. */
import type { Command } from 'commander';
import { parseBucketUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { parseBucketAcl } from '../options/values.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';

export function registerMb(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('mb')
    .summary('make a bucket')
    .description('Create a bucket, named <name>-<appid> (lowercase letters, digits and "-"), in --region.')
    .argument('<bucket>', 'cos://bucket')
    .option('--acl <acl>', 'private (default), public-read, public-read-write or authenticated-read');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit mb cos://media-1250000000
  $ coskit mb cos://site-1250000000 --acl public-read --region ap-shanghai

${EXIT_CODES_HELP}`,
    )
    .action(async (bucket: string, flags: CommonFlags & { acl?: string }) => {
      const loc = parseBucketUrl(bucket);
      const acl = flags.acl === undefined ? undefined : parseBucketAcl(flags.acl);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        await s.client.createBucket({ Bucket: loc.bucket, signal: s.signal, ...(acl ? { ACL: acl } : {}) });
        new Printer(flags, s.stdout, s.stderr).action(`created: cos://${loc.bucket}`, {
          event: 'created',
          bucket: loc.bucket,
        });
        return EXIT.ok;
      });
    });
}
