/**
 * `coskit hash FILE|cos://bucket/key`: a local file's CRC-64 (as `x-cos-hash-crc64ecma`) and MD5,
 * read once; of an object, the CRC-64 and ETag its HEAD answers (as coscli's `hash`).
 */
import { open, stat } from 'node:fs/promises';
import { Crc64, createMd5 } from '@coskit/protocol';
import { type Command, Option } from 'commander';
import { isCosUrl, parseObjectUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';
import { UsageError } from '../usage-error.js';

interface HashFlags extends CommonFlags {
  type?: 'crc64' | 'md5' | 'all';
}

/** CRC-64 (decimal) and MD5 (hex, base64) of a file in one pass of 1 MiB reads. */
async function hashFile(path: string, signal: AbortSignal) {
  const file = await open(path, 'r');
  try {
    const crc = new Crc64();
    const md5 = createMd5();
    for await (const chunk of file.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) {
      signal.throwIfAborted();
      crc.update(chunk as Buffer);
      md5.update(chunk as Buffer);
    }
    const digest = Buffer.from(md5.digest());
    return { crc64: crc.digestDecimal(), md5: digest.toString('hex'), md5Base64: digest.toString('base64') };
  } finally {
    await file.close();
  }
}

export function registerHash(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('hash')
    .summary("a file's CRC-64 and MD5, or an object's CRC-64 and ETag")
    .description(
      prose(`Print the CRC-64 (ECMA-182, decimal, the value COS answers in x-cos-hash-crc64ecma) and the MD5 of a
local file, or the CRC-64 and ETag a COS object has. Compare the two to check a transfer by hand.`),
    )
    .argument('<location>', 'a local file, or cos://bucket/key')
    .addOption(
      new Option('--type <type>', 'which hash of a local file')
        .choices(['crc64', 'md5', 'all'])
        .default('all'),
    );
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit hash ./backup.tar
  $ coskit hash ./backup.tar --type crc64
  $ coskit hash cos://bak-1250000000/backup.tar

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string, flags: HashFlags) => {
      const print = new Printer(flags, runtime.stdout, runtime.stderr);
      if (!isCosUrl(location)) {
        const info = await stat(location).catch(() => undefined);
        if (!info) throw new UsageError(`"${location}" does not exist.`);
        if (!info.isFile()) throw new UsageError(`"${location}" is not a regular file.`);
        const h = await hashFile(location, runtime.signal);
        const type = flags.type ?? 'all';
        const lines = [
          ...(type !== 'md5' ? [`crc64-ecma: ${h.crc64}`] : []),
          ...(type !== 'crc64' ? [`md5:        ${h.md5}`, `md5-base64: ${h.md5Base64}`] : []),
        ];
        print.emit(lines.join('\n'), {
          type: 'file',
          path: location,
          size: info.size,
          ...(type !== 'md5' ? { crc64: h.crc64 } : {}),
          ...(type !== 'crc64' ? { md5: h.md5, md5Base64: h.md5Base64 } : {}),
        });
        return;
      }
      const loc = parseObjectUrl(location);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const h = await s.client.headObject({ Bucket: loc.bucket, Key: loc.key, signal: s.signal });
        const crc = h['x-cos-hash-crc64ecma'] ?? null;
        print.emit(`crc64-ecma: ${crc ?? '(none)'}\netag:       ${h.ETag}`, {
          type: 'object',
          location,
          size: h['Content-Length'],
          crc64: crc,
          etag: h.ETag,
        });
        return EXIT.ok;
      });
    });
}
