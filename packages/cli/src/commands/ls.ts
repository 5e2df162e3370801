/** `coskit ls [cos://bucket[/prefix]]`: buckets, or the objects and folders under a prefix. */
import type { Command } from 'commander';
import { formatCosUrl, parseCosUrl } from '../cos-url.js';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { addCommonOptions, type CommonFlags } from '../options/common.js';
import { prose } from '../output/help.js';
import { Printer, shortDate } from '../output/printer.js';
import { formatBytes } from '../output/units.js';
import type { Runtime } from '../runtime.js';
import { type Session, withSession } from '../session.js';
import { listObjects, listVersions } from '../transfer/listing.js';
import { UsageError } from '../usage-error.js';

interface LsFlags extends CommonFlags {
  recursive?: boolean;
  humanReadable?: boolean;
  summarize?: boolean;
  versions?: boolean;
}

export function registerLs(program: Command, runtime: Runtime): void {
  const cmd = program
    .command('ls')
    .summary('list buckets, or the objects under a prefix')
    .description(
      prose(`Without an argument, list the buckets. With cos://bucket[/prefix], list what is under the prefix,
one level deep ("PRE name/" for sub-folders), or every object with -r. Names are shown relative
to the listed folder; with -r, full keys. Nothing under the prefix exits 1 (as aws s3 ls does).`),
    )
    .argument('[location]', 'cos://bucket[/prefix]')
    .option('-r, --recursive', 'every object under the prefix, not just one level')
    .option('--human-readable', 'sizes as 1.2 MiB instead of bytes')
    .option('--summarize', 'end with the number of objects and their total size')
    .option('--versions', 'every version and delete marker (a versioned bucket), with its version id');
  addCommonOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ coskit ls
  $ coskit ls cos://media-1250000000/videos/
  $ coskit ls cos://media-1250000000 -r --summarize --human-readable
  $ coskit ls cos://media-1250000000/videos/ -r --json | jq -r .key
  $ coskit ls cos://docs-1250000000/report.pdf --versions

${EXIT_CODES_HELP}`,
    )
    .action(async (location: string | undefined, flags: LsFlags) => {
      const loc = location === undefined ? undefined : parseCosUrl(location);
      if (flags.versions && !loc)
        throw new UsageError(
          '--versions lists the versions under a bucket or prefix: name cos://<bucket>[/<prefix>].',
        );
      await withSession(runtime, flags, { bucket: loc?.bucket }, async (s) => {
        const print = new Printer(flags, s.stdout, s.stderr);
        if (!loc) return listBuckets(s, print);
        if (flags.versions) return listVersionsUnder(s, print, loc.bucket, loc.key, flags);
        return listUnder(s, print, loc.bucket, loc.key, flags);
      });
    });
}

async function listBuckets(s: Session, print: Printer): Promise<number> {
  const r = await s.client.listBuckets({ signal: s.signal });
  for (const b of r.Buckets) {
    print.emit(`${shortDate(b.CreationDate)}  ${b.Location.padEnd(16)}  ${b.Name}`, {
      type: 'bucket',
      name: b.Name,
      region: b.Location,
      created: b.CreationDate,
    });
  }
  if (r.Buckets.length === 0) print.note('no buckets; create one with: coskit mb cos://<name>-<appid>');
  return EXIT.ok;
}

async function listUnder(
  s: Session,
  print: Printer,
  bucket: string,
  prefix: string,
  flags: LsFlags,
): Promise<number> {
  const recursive = flags.recursive ?? false;
  // Names are shown relative to the folder part of the prefix, as aws s3 ls does.
  const base = recursive ? '' : prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const size = (n: number) => (flags.humanReadable ? formatBytes(n) : String(n)).padStart(12);
  let objects = 0;
  let prefixes = 0;
  let bytes = 0;
  for await (const entry of listObjects(s.client, bucket, prefix, {
    ...(recursive ? {} : { delimiter: '/' }),
    signal: s.signal,
  })) {
    if ('prefix' in entry) {
      prefixes++;
      print.emit(`${''.padStart(19)}  ${'PRE'.padStart(12)}  ${entry.prefix.slice(base.length)}`, {
        type: 'prefix',
        prefix: entry.prefix,
      });
      continue;
    }
    const o = entry.object;
    objects++;
    bytes += o.size;
    print.emit(`${shortDate(o.lastModified)}  ${size(o.size)}  ${o.key.slice(base.length)}`, {
      type: 'object',
      key: o.key,
      size: o.size,
      lastModified: o.lastModified,
      etag: o.etag,
      storageClass: o.storageClass,
    });
  }
  // As `aws s3 ls`: listing nothing is a failure a script can test for.
  if (objects + prefixes === 0) {
    print.failure(`coskit: nothing under ${formatCosUrl(bucket, prefix)}`, {
      target: formatCosUrl(bucket, prefix),
      error: 'nothing listed',
      code: 'NothingListed',
    });
    return EXIT.partial;
  }
  if (flags.summarize) {
    print.emit(
      `\nTotal objects: ${objects}\n   Total size: ${flags.humanReadable ? formatBytes(bytes) : bytes}`,
      {
        type: 'summary',
        objects,
        bytes,
      },
    );
  }
  return EXIT.ok;
}

/** `ls --versions`: each version (newest first per key) and delete marker, with its version id. */
async function listVersionsUnder(
  s: Session,
  print: Printer,
  bucket: string,
  prefix: string,
  flags: LsFlags,
): Promise<number> {
  const recursive = flags.recursive ?? false;
  const base = recursive ? '' : prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const size = (n: number) => (flags.humanReadable ? formatBytes(n) : String(n)).padStart(12);
  for await (const entry of listVersions(s.client, bucket, prefix, {
    ...(recursive ? {} : { delimiter: '/' }),
    signal: s.signal,
  })) {
    if ('prefix' in entry) {
      print.emit(`${''.padStart(19)}  ${'PRE'.padStart(12)}  ${entry.prefix.slice(base.length)}`, {
        type: 'prefix',
        prefix: entry.prefix,
      });
      continue;
    }
    const v = entry.version;
    const column = v.deleteMarker ? 'DELETE-MARKER'.padStart(12) : size(v.size ?? 0);
    const latest = v.isLatest ? '  (latest)' : '';
    print.emit(
      `${shortDate(v.lastModified)}  ${column}  ${v.key.slice(base.length)}  ${v.versionId}${latest}`,
      {
        type: v.deleteMarker ? 'delete-marker' : 'version',
        key: v.key,
        versionId: v.versionId,
        isLatest: v.isLatest,
        lastModified: v.lastModified,
        ...(v.deleteMarker ? {} : { size: v.size, etag: v.etag, storageClass: v.storageClass }),
      },
    );
  }
  return EXIT.ok;
}
