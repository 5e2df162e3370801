/** `coskit config init | set | show | list | delete`: named profiles in ~/.coskit/config.json. */
import { type Command, Option } from 'commander';
import { read } from 'read';
import { EXIT, EXIT_CODES_HELP } from '../exit-codes.js';
import { prose } from '../output/help.js';
import { Printer } from '../output/printer.js';
import type { Runtime } from '../runtime.js';
import {
  checkEndpoint,
  checkRegion,
  normalizeEndpoint,
  resolveConnectionWithSources,
} from '../settings/connection.js';
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
  $ coskit config init                  # asks; the SecretKey is not echoed
  $ coskit config show                  # what commands use, and where each value comes from
  $ coskit config list
  $ coskit config delete --profile local`,
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
      if (flags.endpoint) flags.endpoint = normalizeEndpoint(flags.endpoint);
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
    .summary('show the settings commands use, secrets masked, and where each comes from')
    .description(
      prose(`Show the connection commands would use (with --profile, that profile's), the SecretKey and
token masked, and where each setting comes from: a COSKIT_* or TENCENTCLOUD_*/COS_* variable,
the profile in ~/.coskit/config.json, coscli's ~/.cos.yaml, or the local server's default.`),
    )
    .option('--profile <name>', 'profile to show (else $COSKIT_PROFILE, else "default")')
    .option('--json', 'as one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  $ coskit config show
  $ coskit config show --profile local --json

${EXIT_CODES_HELP}`,
    )
    .action(async (flags: ConfigFlags) => {
      if (flags.profile !== undefined) checkProfileName(flags.profile);
      const r = await resolveConnectionWithSources(
        flags.profile === undefined ? {} : { profile: flags.profile },
      );
      const values: Record<string, string> = {
        secretId: r.conn.secretId,
        secretKey: mask(r.conn.secretKey),
        token: r.conn.token === undefined ? '(none)' : mask(r.conn.token),
        region: r.conn.region,
        endpoint: r.conn.endpoint ?? '(real COS)',
      };
      const rows = Object.entries(values).map(
        ([k, v]) => `${`${k}:`.padEnd(11)}${v.padEnd(40)}  (${r.sources[k as keyof typeof r.sources]})`,
      );
      const head = `profile:   ${r.profile}${r.profileSource === 'default' ? '' : ` (from ${r.profileSource})`}`;
      new Printer(flags, runtime.stdout, runtime.stderr).emit([head, ...rows].join('\n'), {
        profile: r.profile,
        ...values,
        sources: r.sources,
      });
      runtime.exitCode = EXIT.ok;
    });

  group
    .command('init')
    .summary('ask for the key, region and endpoint, and save a profile')
    .description(
      prose(`Ask for a SecretId, a SecretKey (typed without echo), a region and an endpoint, then save them as a
profile (default "default"). Needs a terminal; elsewhere use coskit config set.`),
    )
    .addOption(new Option('--profile <name>', 'profile to write').default('default', 'default'))
    .addHelpText('after', `\nExample:\n  $ coskit config init --profile work\n\n${EXIT_CODES_HELP}`)
    .action(async (flags: ConfigFlags) => {
      const name = checkProfileName(flags.profile ?? 'default');
      if (!process.stdin.isTTY) {
        throw new UsageError(
          'config init asks its questions on a terminal; without one use: coskit config set --secret-id … --secret-key …',
        );
      }
      const config = await readConfig();
      const old = config.profiles[name] ?? {};
      const ask = async (prompt: string, current: string | undefined, silent = false) => {
        const answer = await read({
          prompt: `${prompt}${current ? ` [${silent ? mask(current) : current}]` : ''}: `,
          silent,
          replace: silent ? '*' : '',
          output: runtime.stderr,
        });
        return answer.trim() === '' ? current : answer.trim();
      };
      const profile: Profile = {};
      const secretId = await ask('SecretId', old.secretId);
      const secretKey = await ask('SecretKey (not shown)', old.secretKey, true);
      const region = await ask('Region', old.region ?? 'ap-guangzhou');
      const endpoint = await ask('Endpoint (empty for real COS)', old.endpoint);
      if (secretId) profile.secretId = secretId;
      if (secretKey) profile.secretKey = secretKey;
      if (region) {
        checkRegion(region);
        profile.region = region;
      }
      if (endpoint) {
        checkEndpoint(normalizeEndpoint(endpoint));
        profile.endpoint = normalizeEndpoint(endpoint);
      }
      if (old.token) profile.token = old.token;
      if ((profile.secretId === undefined) !== (profile.secretKey === undefined)) {
        throw new UsageError('a SecretId needs its SecretKey: run coskit config init again and give both.');
      }
      config.profiles[name] = profile;
      await writeConfig(config);
      runtime.stderr.write(`profile "${name}" saved to ${configPath()}\n`);
    });

  group
    .command('delete')
    .summary('delete a profile')
    .description('Delete a profile from the config file.')
    .requiredOption('--profile <name>', 'profile to delete')
    .addHelpText('after', `\nExample:\n  $ coskit config delete --profile old\n\n${EXIT_CODES_HELP}`)
    .action(async (flags: ConfigFlags) => {
      const name = checkProfileName(flags.profile ?? '');
      const config = await readConfig();
      if (!config.profiles[name]) {
        const names = Object.keys(config.profiles);
        throw new UsageError(
          `no profile "${name}" in ${configPath()}${names.length ? ` (there are: ${names.join(', ')})` : ''}.`,
        );
      }
      delete config.profiles[name];
      await writeConfig(config);
      runtime.stderr.write(`profile "${name}" deleted from ${configPath()}\n`);
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
