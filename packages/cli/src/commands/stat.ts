/** `coskit stat cos://bucket[/key]`: an object's size, ETag, CRC-64, type, class and metadata (HEAD). */
import type { Command } from 'commander';
import { parseCosUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';

export function registerStat(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('stat')
    .summary("show an object's size, ETag, CRC-64, type, class and metadata")
    .description(
      prose(`Show an object's details from a HEAD request: size, ETag, CRC-64, type (normal or appendable),
storage class, content type, last modified and user metadata. With just cos://bucket, check the bucket.`),
    )
    .argument('<location>', 'cos://bucket/key or cos://bucket');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit stat cos://media-1250000000/videos/big.mp4
  $ coskit stat cos://media-1250000000/videos/big.mp4 --json | jq -r .crc64

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string, flags: CommonFlags) => {
      const loc = parseCosUrl(location);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        if (loc.key === '' || loc.key.endsWith('/')) {
          if (loc.key !== '') {
            print.note(`"${location}" ends with "/": showing the bucket; name an object to see its details.`);
          }
          const r = await s.client.headBucket({ Bucket: loc.bucket, signal: s.signal });
          const region = r.headers['x-cos-bucket-region'] ?? s.conn.region;
          print.emit(`Bucket:  cos://${loc.bucket}\nRegion:  ${region}\nStatus:  exists, accessible`, {
            type: 'bucket',
            bucket: loc.bucket,
            region,
          });
          return EXIT.ok;
        }
        const h = await s.client.headObject({ Bucket: loc.bucket, Key: loc.key, signal: s.signal });
        const info = {
          type: 'object',
          location: `cos://${loc.bucket}/${loc.key}`,
          size: h['Content-Length'],
          etag: h.ETag,
          crc64: h['x-cos-hash-crc64ecma'] ?? null,
          objectType: h['x-cos-object-type'] ?? 'normal',
          storageClass: h['x-cos-storage-class'] ?? 'STANDARD',
          contentType: h['Content-Type'] ?? null,
          lastModified: h['Last-Modified'] ?? null,
          metadata: h.Metadata,
        };
        const lines = [
          ['Location', info.location],
          ['Size', `${info.size} (${formatBytes(info.size)})`],
          ['ETag', info.etag],
          ['CRC-64', info.crc64 ?? '-'],
          ['Type', info.objectType],
          ['Class', info.storageClass],
          ['Content-Type', info.contentType ?? '-'],
          ['Modified', info.lastModified ?? '-'],
        ].map(([k, v]) => `${`${k}:`.padEnd(14)}${v}`);
        const meta = Object.entries(h.Metadata);
        lines.push(`${'Metadata:'.padEnd(14)}${meta.length === 0 ? '-' : ''}`);
        for (const [k, v] of meta) lines.push(`  ${k}: ${v}`);
        print.emit(lines.join('\n'), info);
        return EXIT.ok;
      });
    });
}
