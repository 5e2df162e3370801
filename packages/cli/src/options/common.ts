/** The flags every network command shares: where to connect and how to print. */
import { type Command, Option } from 'commander';
import type { ConnectionFlags } from '../settings/connection.js';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  /** Transfer commands: list skipped files too. */
  verbose?: boolean;
  /** Transfer commands: false with --no-progress (lines, no live bars). */
  progress?: boolean;
  /** Append one JSON line per request (method, key, status, request id, duration, attempts) here. */
  logFile?: string;
}

export type CommonFlags = ConnectionFlags & OutputFlags;

const CONNECTION = 'Connection options (else env COSKIT_*, else the profile, else the local server):';
const OUTPUT = 'Output options:';

/** `--profile`, `--secret-id`, `--secret-key`, `--token`, `--region`, `--endpoint`. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--profile <name>',
        'profile of the config file (env COSKIT_PROFILE; default "default")',
      ).helpGroup(CONNECTION),
    )
    .addOption(new Option('--secret-id <id>', 'SecretId (env COSKIT_SECRET_ID)').helpGroup(CONNECTION))
    .addOption(new Option('--secret-key <key>', 'SecretKey (env COSKIT_SECRET_KEY)').helpGroup(CONNECTION))
    .addOption(new Option('--token <token>', 'temporary-key token (env COSKIT_TOKEN)').helpGroup(CONNECTION))
    .addOption(
      new Option(
        '--region <region>',
        'region of the bucket, e.g. ap-guangzhou (env COSKIT_REGION)',
      ).helpGroup(CONNECTION),
    )
    .addOption(
      new Option(
        '--endpoint <url>',
        'a COS-compatible server, e.g. http://127.0.0.1:9000 (env COSKIT_ENDPOINT); without it, real COS',
      ).helpGroup(CONNECTION),
    );
}

/**
 * `--json`, `--quiet` (and `--help` beside them, so "Options:" holds only the command's own); for
 * transfer commands also `-v, --verbose` and `--no-progress`.
 */
function addOutputOptions(cmd: Command, transfer: boolean): Command {
  cmd.addOption(new Option('--json', 'machine-readable output: one JSON object per line').helpGroup(OUTPUT));
  cmd.addOption(
    new Option(
      '--log-file <path>',
      'append a JSON line per request: method, key, status, request id, ms, attempts',
    ).helpGroup(OUTPUT),
  );
  if (transfer) {
    cmd
      .addOption(new Option('-q, --quiet', 'print errors only').helpGroup(OUTPUT))
      .addOption(
        new Option('-v, --verbose', 'list skipped files too (they are only counted otherwise)').helpGroup(
          OUTPUT,
        ),
      )
      .addOption(
        new Option(
          '--no-progress',
          'no live progress bars on a terminal; finished files still listed',
        ).helpGroup(OUTPUT),
      );
  } else cmd.addOption(new Option('-q, --quiet', 'print failures only').helpGroup(OUTPUT));
  return cmd.addHelpOption(new Option('-h, --help', 'display help for command').helpGroup(OUTPUT));
}

/** Both groups; `transfer` adds the progress display options of cp, sync and append. */
export function addCommonOptions(cmd: Command, options: { transfer?: boolean } = {}): Command {
  return addOutputOptions(addConnectionOptions(cmd), options.transfer ?? false);
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
