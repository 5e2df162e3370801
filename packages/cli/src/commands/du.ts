/** `coskit du cos://bucket[/prefix]`: how many objects and bytes are under a prefix, by storage class. */
import type { Command } from 'commander';
import { formatCosUrl, parseCosUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { withSession } from '../session.js';
import { listAllObjects } from '../transfer/listing.js';

export function registerDu(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('du')
    .summary('objects and bytes under a prefix, by storage class')
    .description(
      prose(`Count the objects under a bucket or prefix and add up their sizes, per storage class and in
total (one listing, nothing downloaded). Unfinished multipart uploads are not counted: see
coskit multipart ls.`),
    )
    .argument('<location>', 'cos://bucket[/prefix]');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit du cos://media-1250000000
  $ coskit du cos://media-1250000000/videos/ --json

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string, flags: CommonFlags) => {
      const loc = parseCosUrl(location);
      await withSession(runtime, flags, { bucket: loc.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        const byClass = new Map<string, { objects: number; bytes: number }>();
        let objects = 0;
        let bytes = 0;
        for await (const o of listAllObjects(s.client, loc.bucket, loc.key, s.signal)) {
          const cls = o.storageClass || 'STANDARD';
          const entry = byClass.get(cls) ?? { objects: 0, bytes: 0 };
          entry.objects++;
          entry.bytes += o.size;
          byClass.set(cls, entry);
          objects++;
          bytes += o.size;
        }
        const where = formatCosUrl(loc.bucket, loc.key);
        const row = (cells: readonly string[]) =>
          `${cells[0]!.padEnd(20)}  ${cells[1]!.padStart(10)}  ${cells[2]!.padStart(10)}  ${cells[3]!.padStart(15)}`;
        const values = (name: string, n: number, b: number) =>
          row([name, String(n), formatBytes(b), String(b)]);
        print.header(row(['STORAGE CLASS', 'OBJECTS', 'SIZE', 'BYTES']));
        for (const [cls, e] of [...byClass].sort()) {
          print.emit(values(cls, e.objects, e.bytes), { type: 'class', storageClass: cls, ...e });
        }
        print.emit(values('total', objects, bytes), { type: 'total', location: where, objects, bytes });
        return EXIT.ok;
      });
    });
}
