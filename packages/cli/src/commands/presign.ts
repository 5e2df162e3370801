/** `coskit presign cos://bucket/key`: a URL anyone can use until it expires. */
import { type Command, Option } from 'commander';
import { parseObjectUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { parseDurationFlag } from '../options/values.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';
import { presignClientFor } from '../settings/client-factory.js';
import { UsageError } from '../usage-error.js';

const METHODS = ['GET', 'PUT', 'HEAD', 'DELETE'] as const;

interface PresignFlags extends CommonFlags {
  expires: string;
  method: string;
}

export function registerPresign(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('presign')
    .summary('print a pre-signed URL for an object')
    .description(
      prose(`Print a URL that lets anyone GET (or PUT, HEAD, DELETE) one object until it expires, signed with
your key; no request is sent. With --endpoint the URL points at that server (path style).`),
    )
    .argument('<object>', 'cos://bucket/key')
    .addOption(
      new Option('--expires <duration>', 'how long the URL works: 90s, 15m, 1h, 7d, 1h30m').default(
        '1h',
        '1h',
      ),
    )
    .addOption(
      new Option('--method <method>', `HTTP method the URL is for: ${METHODS.join(', ')}`).default(
        'GET',
        'GET',
      ),
    );
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit presign cos://media-1250000000/videos/big.mp4 --expires 24h
  $ url=$(coskit presign cos://inbox-1250000000/report.pdf --method PUT)
  $ curl -T ./report.pdf "$url"

${EXIT_CODES_HELP}`,
    )
    .action(async (object: string, flags: PresignFlags) => {
      const loc = parseObjectUrl(object);
      const expires = parseDurationFlag(flags.expires, '--expires', 1);
      const method = flags.method.toUpperCase();
      if (!(METHODS as readonly string[]).includes(method)) {
        throw new UsageError(`--method must be one of ${METHODS.join(', ')}; got "${flags.method}".`);
      }
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const client = presignClientFor(s.conn);
        try {
          const url = await client.getPresignedUrl({
            Bucket: loc.bucket,
            Key: loc.key,
            Method: method as (typeof METHODS)[number],
            Expired: expires,
          });
          const expiresAt = new Date(Date.now() + expires * 1000).toISOString();
          new Printer(flags, s.stdout, s.stderr).emit(url, { url, method, expires: expiresAt });
          return EXIT.ok;
        } finally {
          client.destroy();
        }
      });
    });
}
