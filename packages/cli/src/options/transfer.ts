/** The transfer flags of `cp`, `sync` and `append`, and their validation into SDK parameters. */

import { createHash } from 'node:crypto';
import { type Command, Option } from 'commander';
import { defaultCheckpointDir } from '../session.js';
import { UsageError } from '../usage-error.js';
import { collect } from './common.js';
import { type HeaderFlags, parseObjectHeaders, type StandardHeaders } from './object-headers.js';
import {
  DEFAULT_FILES,
  DEFAULT_PART_SIZE_MIB,
  DEFAULT_THREADS,
  parseIntFlag,
  parseObjectAcl,
  parsePartSize,
  parseRateLimit,
  parseServerSideEncryption,
  parseSseCustomerKey,
  parseStorageClass,
} from './values.js';

export interface TransferFlags extends HeaderFlags {
  partSize: string;
  threads?: string;
  files?: string;
  rateLimit?: string;
  include?: string[];
  exclude?: string[];
  skipExisting?: boolean;
  checkpointDir?: string;
  storageClass?: string;
  acl?: string;
  /** false with --no-clobber (commander's negated option). */
  clobber?: boolean;
  crc64: boolean;
  failOutput?: string;
  symlinks?: string;
  encryptionType?: string;
  serverSideEncryption?: string;
  sseCustomerAlgo?: string;
  sseCustomerKey?: string;
  sseCustomerKeyMd5?: string;
  /** The SSE-C key of a COS → COS copy's source (--copy-source-sse-customer-key). */
  copySourceSseCustomerKey?: string;
}

/**
 * Server-side encryption of a command's transfers: SSE-COS for what it uploads, and the SSE-C key,
 * which goes with every request of an upload (Initiate, each part) and of a download (HEAD, each
 * ranged GET).
 */
export interface EncryptionSettings {
  readonly ServerSideEncryption?: 'AES256';
  readonly SSECustomerKey?: string;
}

/** Validated transfer settings. */
export interface TransferSettings {
  /** MiB per part (and per ranged GET). */
  readonly partSizeMiB: number;
  /** Parts (or ranges) in flight per file. */
  readonly threads: number;
  /** Files in flight. */
  readonly files: number;
  /** bit/s per request. */
  readonly trafficLimit: number | undefined;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly skipExisting: boolean;
  readonly checkpointDir: string;
  readonly storageClass: string | undefined;
  readonly acl: string | undefined;
  readonly metadata: Record<string, string> | undefined;
  readonly contentType: string | undefined;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires, Tagging. */
  readonly headers: Omit<StandardHeaders, 'ContentType'>;
  /** Never replace what exists: x-cos-forbid-overwrite on uploads and copies; downloads leave existing files. */
  readonly noClobber: boolean;
  readonly crc64: boolean;
  readonly failOutput: string | undefined;
  readonly encryption: EncryptionSettings;
  /**
   * The SSE-C key (base64) of the objects a COS → COS copy reads: sent as
   * `x-cos-copy-source-server-side-encryption-customer-*` (and with the source's HEAD).
   */
  readonly copySourceKey: string | undefined;
  /** Symbolic links in an uploaded folder: skipped (default, one warning line each) or followed. */
  readonly symlinks: 'skip' | 'follow';
}

const TRANSFER = 'Transfer options:';
const FILTERS = 'Folder options (with -r):';
const OBJECT = 'Object options (uploads):';
const ENCRYPTION = 'Encryption options (coscli names):';

export interface TransferOptionSet {
  /** --files, --include/--exclude, --skip-existing. */
  readonly folders?: boolean;
  /** --storage-class, --acl, --meta, --content-type. */
  readonly objectHeaders?: boolean;
  /** --fail-output. */
  readonly failOutput?: boolean;
  /** --skip-existing (with folders). */
  readonly skipExisting?: boolean;
  /** --threads. Default true. */
  readonly threads?: boolean;
  /** --storage-class (with objectHeaders). Default true. */
  readonly storageClass?: boolean;
  /** --cache-control, --content-disposition, --content-encoding, --content-language, --expires. Default true. */
  readonly standardHeaders?: boolean;
  /** Help of --part-size. */
  readonly partSizeHelp?: string;
  /** --encryption-type, --server-side-encryption, --sse-customer-*. Default true. */
  readonly encryption?: boolean;
  /** --tags (with objectHeaders). Default true. */
  readonly tags?: boolean;
  /** --no-clobber. Default false. */
  readonly noClobber?: boolean;
  /** --copy-source-sse-customer-key (commands that copy COS → COS). Default false. */
  readonly copySource?: boolean;
}

export function addTransferOptions(cmd: Command, set: TransferOptionSet = {}): Command {
  const opt = (o: Option, group: string) => cmd.addOption(o.helpGroup(group));
  opt(
    new Option(
      '--part-size <size>',
      set.partSizeHelp ?? 'part size in MiB (16) or as a size (16M, 1G); also the size of each ranged GET',
    ).default(String(DEFAULT_PART_SIZE_MIB), String(DEFAULT_PART_SIZE_MIB)),
    TRANSFER,
  );
  if (set.threads ?? true)
    opt(
      new Option('--threads <n>', 'parts (or ranges) in flight per file').default(
        String(DEFAULT_THREADS),
        String(DEFAULT_THREADS),
      ),
      TRANSFER,
    );
  opt(
    new Option(
      '--rate-limit <rate>',
      'speed limit per request (x-cos-traffic-limit): bit/s, 819200-838860800, or bytes/s with a unit, 100K-100M',
    ),
    TRANSFER,
  );
  opt(
    new Option('--checkpoint-dir <dir>', 'where resumable transfers keep their checkpoints').default(
      defaultCheckpointDir(),
      '~/.coskit/checkpoints',
    ),
    TRANSFER,
  );
  opt(new Option('--no-crc64', 'skip the CRC-64 checks of parts and whole objects'), TRANSFER);
  if (set.failOutput ?? true)
    opt(new Option('--fail-output <file>', 'write failed files to this file as JSON lines'), TRANSFER);
  if (set.folders) {
    opt(
      new Option('--files <n>', 'files in flight').default(String(DEFAULT_FILES), String(DEFAULT_FILES)),
      FILTERS,
    );
    opt(
      new Option('--include <glob>', 'only files matching this glob (repeatable)').argParser(collect),
      FILTERS,
    );
    opt(
      new Option('--exclude <glob>', 'leave out files matching this glob (repeatable)').argParser(collect),
      FILTERS,
    );
    opt(
      new Option(
        '--symlinks <mode>',
        'symbolic links in a folder upload: skip (say so, one line each) or follow (upload what they point to; loops are cut)',
      )
        .choices(['skip', 'follow'])
        .default('skip'),
      FILTERS,
    );
    if (set.skipExisting ?? true)
      opt(
        new Option('--skip-existing', 'skip files whose destination has the same size and CRC-64'),
        FILTERS,
      );
  }
  if (set.objectHeaders ?? true) {
    if (set.storageClass ?? true)
      opt(
        new Option(
          '--storage-class <class>',
          'STANDARD, STANDARD_IA, INTELLIGENT_TIERING, ARCHIVE, DEEP_ARCHIVE, MAZ_STANDARD, …',
        ),
        OBJECT,
      );
    opt(new Option('--acl <acl>', 'object ACL: default, private or public-read'), OBJECT);
    opt(
      new Option(
        '--meta <meta>',
        "key=value user metadata (x-cos-meta-key), or coscli's Name:value#Name:value with standard headers (repeatable)",
      ).argParser(collect),
      OBJECT,
    );
    opt(new Option('--content-type <type>', 'Content-Type (default: guessed from the file name)'), OBJECT);
    if (set.standardHeaders ?? true) addStandardHeaderOptions(cmd);
    if (set.tags ?? true)
      opt(new Option('--tags <k=v&k2=v2>', 'object tags (x-cos-tagging), at most 10'), OBJECT);
  }
  if (set.noClobber ?? false)
    opt(
      new Option(
        '--no-clobber',
        'never replace: uploads and copies refuse an existing key (x-cos-forbid-overwrite); downloads keep existing files',
      ),
      TRANSFER,
    );
  if (set.encryption ?? true) {
    opt(new Option('--encryption-type <type>', 'SSE-COS or SSE-C (implied by the flags below)'), ENCRYPTION);
    opt(
      new Option(
        '--server-side-encryption <algorithm>',
        'SSE-COS: store uploads encrypted with the server key (AES256)',
      ),
      ENCRYPTION,
    );
    opt(
      new Option(
        '--sse-customer-key <key>',
        'SSE-C key: 32 characters, its base64, or @<file>; sent with every upload and download request',
      ),
      ENCRYPTION,
    );
    opt(new Option('--sse-customer-algo <algorithm>', 'SSE-C algorithm (AES256, the default)'), ENCRYPTION);
    opt(
      new Option('--sse-customer-key-md5 <md5>', 'base64 MD5 of the SSE-C key (computed when left out)'),
      ENCRYPTION,
    );
    if (set.copySource ?? false)
      opt(
        new Option(
          '--copy-source-sse-customer-key <key>',
          'COS → COS: the SSE-C key of the source objects (same forms); the target takes the flags above',
        ),
        ENCRYPTION,
      );
  }
  return cmd;
}

/** The encryption flags as SDK parameters; contradictions are usage errors. */
export function encryptionSettings(f: TransferFlags): EncryptionSettings {
  const type = f.encryptionType?.trim().toUpperCase();
  if (type !== undefined && type !== 'SSE-COS' && type !== 'SSE-C') {
    throw new UsageError(`--encryption-type must be SSE-COS or SSE-C; got "${f.encryptionType}".`);
  }
  const sse =
    f.serverSideEncryption === undefined ? undefined : parseServerSideEncryption(f.serverSideEncryption);
  const key = f.sseCustomerKey === undefined ? undefined : parseSseCustomerKey(f.sseCustomerKey);
  if (f.sseCustomerAlgo !== undefined && f.sseCustomerAlgo.trim().toUpperCase() !== 'AES256') {
    throw new UsageError(`--sse-customer-algo must be AES256; got "${f.sseCustomerAlgo}".`);
  }
  if (key === undefined && (f.sseCustomerAlgo !== undefined || f.sseCustomerKeyMd5 !== undefined)) {
    throw new UsageError('--sse-customer-algo and --sse-customer-key-md5 need --sse-customer-key.');
  }
  if (key !== undefined && f.sseCustomerKeyMd5 !== undefined) {
    const md5 = createHash('md5').update(Buffer.from(key, 'base64')).digest('base64');
    if (f.sseCustomerKeyMd5.trim() !== md5)
      throw new UsageError(
        '--sse-customer-key-md5 is not the MD5 of --sse-customer-key (leave it out to have it computed).',
      );
  }
  if (sse && key)
    throw new UsageError('give --server-side-encryption (SSE-COS) or --sse-customer-key (SSE-C), not both.');
  if (type === 'SSE-C' && !key) throw new UsageError('--encryption-type SSE-C needs --sse-customer-key.');
  if (type === 'SSE-COS' && key)
    throw new UsageError('--encryption-type SSE-COS does not take --sse-customer-key.');
  if (type === 'SSE-COS' || sse) return { ServerSideEncryption: 'AES256' };
  return key ? { SSECustomerKey: key } : {};
}

/** The standard headers of an upload by their names (also reachable through --meta). */
function addStandardHeaderOptions(cmd: Command): void {
  const opt = (flags: string, help: string) => cmd.addOption(new Option(flags, help).helpGroup(OBJECT));
  opt('--cache-control <value>', 'Cache-Control, e.g. "max-age=3600" or no-cache');
  opt('--content-disposition <value>', 'Content-Disposition, e.g. "attachment; filename=a.pdf"');
  opt('--content-encoding <value>', 'Content-Encoding, e.g. gzip (the bytes are sent as they are)');
  opt('--content-language <value>', 'Content-Language, e.g. zh-CN');
  opt('--expires <date>', 'Expires, e.g. 2026-12-31T00:00:00Z (sent as an HTTP date)');
}

export function transferSettings(f: TransferFlags): TransferSettings {
  const { headers, metadata } = parseObjectHeaders(f);
  const { ContentType, ...others } = headers;
  return {
    partSizeMiB: parsePartSize(f.partSize),
    threads: f.threads === undefined ? DEFAULT_THREADS : parseIntFlag(f.threads, '--threads', 1, 256),
    files: f.files === undefined ? DEFAULT_FILES : parseIntFlag(f.files, '--files', 1, 256),
    trafficLimit: f.rateLimit === undefined ? undefined : parseRateLimit(f.rateLimit),
    include: f.include ?? [],
    exclude: f.exclude ?? [],
    skipExisting: f.skipExisting ?? false,
    checkpointDir: f.checkpointDir ?? defaultCheckpointDir(),
    storageClass: f.storageClass === undefined ? undefined : parseStorageClass(f.storageClass),
    acl: f.acl === undefined ? undefined : parseObjectAcl(f.acl),
    metadata,
    contentType: ContentType,
    headers: others,
    noClobber: f.clobber === false,
    crc64: f.crc64,
    failOutput: f.failOutput,
    encryption: encryptionSettings(f),
    copySourceKey:
      f.copySourceSseCustomerKey === undefined
        ? undefined
        : parseSseCustomerKey(f.copySourceSseCustomerKey, '--copy-source-sse-customer-key'),
    symlinks: f.symlinks === 'follow' ? 'follow' : 'skip',
  };
}
