/** `coskit cat cos://bucket/key`: an object's bytes to standard output. */
import type { Command } from 'commander';
import { parseObjectUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addConnectionOptions, type CommonFlags } from '../options/common.js';
import { parseRateLimit } from '../options/values.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';
import { streamObject } from '../transfer/stream-object.js';
import { UsageError } from '../usage-error.js';

interface CatFlags extends CommonFlags {
  range?: string;
  rateLimit?: string;
}

export function registerCat(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('cat')
    .summary("print an object's bytes to standard output")
    .description("Write an object's bytes to standard output (all of it, or --range).")
    .argument('<object>', 'cos://bucket/key')
    .option('--range <first-last>', 'only these bytes: 0-99, 100- (to the end) or -100 (the last 100)')
    .option(
      '--rate-limit <rate>',
      'speed limit (x-cos-traffic-limit): bit/s, 819200-838860800, or bytes/s with a unit, 100K-100M',
    );
  addConnectionOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit cat cos://logs-1250000000/app.log | less
  $ coskit cat cos://data-1250000000/big.csv --range 0-1023 | head

${EXIT_CODES_HELP}`,
    )
    .action(async (object: string, flags: CatFlags) => {
      const loc = parseObjectUrl(object);
      if (flags.range !== undefined && !/^(\d+-\d*|-\d+)$/.test(flags.range)) {
        throw new UsageError(
          `--range must be first-last (0-99), first- (100-) or -suffix (-100); got "${flags.range}".`,
        );
      }
      const limit = flags.rateLimit === undefined ? undefined : parseRateLimit(flags.rateLimit);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        await streamObject(s, loc.bucket, loc.key, limit, flags.range ? `bytes=${flags.range}` : undefined);
        return EXIT.ok;
      });
    });
}
