/** `coskit config set | show | list`: named profiles in ~/.coskit/config.json. */
import { type Command, Option } from 'commander';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import { checkEndpoint, checkRegion } from '../settings/connection.js';
import { configPath, type Profile, readConfig, writeConfig } from '../settings/profiles.js';
import { UsageError } from '../usage-error.js';

interface ConfigFlags {
  profile?: string;
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  endpoint?: string;
  json?: boolean;
}

const FIELDS = ['secretId', 'secretKey', 'token', 'region', 'endpoint'] as const;

/** `AKID…` keys stay recognisable, secrets do not: first and last 4 characters of long values. */
function mask(secret: string): string {
  return secret.length <= 8
    ? '*'.repeat(secret.length)
    : `${secret.slice(0, 4)}${'*'.repeat(8)}${secret.slice(-4)}`;
}

function checkProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new UsageError(`--profile must be 1–64 letters, digits, ".", "_" or "-"; got "${name}".`);
  }
  return name;
}

function shown(profile: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = profile[field];
    if (value === undefined) continue;
    out[field] = field === 'secretKey' || field === 'token' ? mask(value) : value;
  }
  return out;
}

export function registerConfig(program: Command, runtime: Runtime): void {
  const group = program
    .command('config')
    .summary('save credentials, region and endpoint in named profiles')
    .description(
      prose(`Profiles live in ~/.coskit/config.json (or $COSKIT_CONFIG), written with mode 0600. A command
uses --profile, else $COSKIT_PROFILE, else "default"; flags and COSKIT_* variables override it.`),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ coskit config set --secret-id AKID... --secret-key ... --region ap-guangzhou
  $ coskit config set --profile local --endpoint http://127.0.0.1:9000
  $ coskit config show --profile local
  $ coskit config list`,
    );

  group
    .command('set')
    .summary('create or update a profile')
    .description('Create or update a profile; an empty value ("") removes that field.')
    .addOption(new Option('--profile <name>', 'profile to write').default('default', 'default'))
    .option('--secret-id <id>', 'SecretId')
    .option('--secret-key <key>', 'SecretKey')
    .option('--token <token>', 'temporary-key token')
    .option('--region <region>', 'region, e.g. ap-guangzhou')
    .option('--endpoint <url>', 'a COS-compatible server, e.g. http://127.0.0.1:9000; "" for real COS')
    .addHelpText(
      'after',
      `
Examples:
  $ coskit config set --secret-id AKID... --secret-key ... --region ap-guangzhou
  $ coskit config set --profile local --endpoint http://127.0.0.1:9000
  $ coskit config set --profile local --endpoint ""        # back to real COS

${EXIT_CODES_HELP}`,
    )
    .action(async (flags: ConfigFlags) => {
      const name = checkProfileName(flags.profile ?? 'default');
      const changes = FIELDS.filter((f) => flags[f] !== undefined);
      if (changes.length === 0) {
        throw new UsageError(
          'nothing to set: give at least one of --secret-id, --secret-key, --token, --region, --endpoint.',
        );
      }
      if (flags.endpoint) checkEndpoint(flags.endpoint);
      if (flags.region) checkRegion(flags.region);
      const config = await readConfig();
      const profile: Profile = { ...config.profiles[name] };
      for (const field of changes) {
        const value = flags[field] ?? '';
        if (value === '') delete profile[field];
        else profile[field] = value;
      }
      if ((profile.secretId === undefined) !== (profile.secretKey === undefined)) {
        throw new UsageError(
          `profile "${name}" would have a ${profile.secretId ? 'SecretId without its SecretKey' : 'SecretKey without its SecretId'}: set both.`,
        );
      }
      config.profiles[name] = profile;
      await writeConfig(config);
      runtime.stderr.write(`profile "${name}" saved to ${configPath()}\n`);
    });

  group
    .command('show')
    .summary('show a profile, secrets masked')
    .description('Show a profile (the SecretKey and token masked).')
    .addOption(new Option('--profile <name>', 'profile to show').default('default', 'default'))
    .option('--json', 'as one JSON object')
    .action(async (flags: ConfigFlags) => {
      const name = checkProfileName(flags.profile ?? 'default');
      const config = await readConfig();
      const profile = config.profiles[name];
      if (!profile) {
        const names = Object.keys(config.profiles);
        throw new UsageError(
          `no profile "${name}" in ${configPath()}${names.length ? ` (there are: ${names.join(', ')})` : ''}; create it with: coskit config set --profile ${name} …`,
        );
      }
      const fields = shown(profile);
      const text = [`profile: ${name}`, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)].join('\n');
      new Printer(flags, runtime.stdout, runtime.stderr).emit(text, { profile: name, ...fields });
      runtime.exitCode = EXIT.ok;
    });

  group
    .command('list')
    .summary('list the profiles')
    .description('List the profiles, with their region and endpoint.')
    .option('--json', 'one JSON object per profile')
    .action(async (flags: ConfigFlags) => {
      const config = await readConfig();
      const print = new Printer(flags, runtime.stdout, runtime.stderr);
      const names = Object.keys(config.profiles).sort();
      for (const name of names) {
        const p = config.profiles[name] ?? {};
        print.emit(
          `${name.padEnd(16)}  ${(p.region ?? '-').padEnd(16)}  ${p.endpoint ?? '(real COS)'}${p.secretId ? '' : '  (no key)'}`,
          { profile: name, ...shown(p) },
        );
      }
      if (names.length === 0)
        print.note(`no profiles in ${configPath()}; create one with: coskit config set …`);
    });
}
