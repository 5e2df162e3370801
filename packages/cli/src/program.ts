/** The `coskit` command: one sub-command per file under commands/. */
import { Command, CommanderError } from 'commander';
import { registerAppend } from './commands/append.js';
import { registerCat } from './commands/cat.js';
import { registerConfig } from './commands/config.js';
import { registerCp } from './commands/cp.js';
import { registerDu } from './commands/du.js';
import { registerHash } from './commands/hash.js';
import { registerLs } from './commands/ls.js';
import { registerMb } from './commands/mb.js';
import { registerMultipart } from './commands/multipart.js';
import { registerMv } from './commands/mv.js';
import { registerPresign } from './commands/presign.js';
import { registerRb } from './commands/rb.js';
import { registerRm } from './commands/rm.js';
import { registerServe } from './commands/serve.js';
import { registerStat } from './commands/stat.js';
import { registerSync } from './commands/sync.js';
import { CliError, describeError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { Runtime } from './runtime.js';
import { suggestCommand } from './suggest.js';
import { UsageError } from './usage-error.js';
import { CLI_VERSION } from './version.js';

export function buildProgram(runtime: Runtime = new Runtime()): Command {
  const program = new Command('coskit')
    .description(
      'Upload to Tencent Cloud COS — resumable, parallel, CRC-64 checked — and run a COS-compatible server.',
    )
    .showHelpAfterError('(run with --help for usage)')
    // Unknown commands get coskit's own suggestion (see suggest.ts), not commander's.
    .showSuggestionAfterError(false)
    .version(CLI_VERSION)
    .exitOverride()
    .configureHelp({ sortSubcommands: false });
  program.commandsGroup('Transfer:');
  registerCp(program, runtime);
  registerMv(program, runtime);
  registerSync(program, runtime);
  registerAppend(program, runtime);
  registerCat(program, runtime);
  program.commandsGroup('Browse and manage:');
  registerLs(program, runtime);
  registerStat(program, runtime);
  registerDu(program, runtime);
  registerHash(program, runtime);
  registerRm(program, runtime);
  registerMb(program, runtime);
  registerRb(program, runtime);
  registerMultipart(program, runtime);
  registerPresign(program, runtime);
  program.commandsGroup('Set up:');
  registerConfig(program, runtime);
  registerServe(program);
  program.addHelpText(
    'after',
    `
Where commands connect: the --endpoint, --secret-id, --secret-key, --region
flags; else the COSKIT_* environment variables; else the profile in
~/.coskit/config.json (coskit config set); else the local server of
\`coskit serve\` at http://127.0.0.1:9000 with its development key.

Examples:
  $ coskit serve &                   # a local COS-compatible server
  $ coskit mb cos://demo-1250000000
  $ coskit cp ./photos cos://demo-1250000000/photos/ -r
  $ coskit ls cos://demo-1250000000/photos/
  $ coskit config set --secret-id AKID... --secret-key ... --region ap-guangzhou

Run "coskit <command> --help" for a command's options and examples.

${EXIT_CODES_HELP}`,
  );
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function run(argv: readonly string[], runtime: Runtime = new Runtime()): Promise<number> {
  const program = buildProgram(runtime);
  // `coskit ls … | head`: the reader went away; stop quietly, as other command-line tools do. The
  // listener stays: the error may arrive after the last write returned.
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(runtime.exitCode);
    throw err;
  };
  runtime.stdout.on('error', onStdoutError);
  // argv is node's: [node, script, command, ...].
  const typed = argv[2];
  const names = program.commands.map((c) => c.name());
  if (typed !== undefined && !typed.startsWith('-') && typed !== 'help' && !names.includes(typed)) {
    const hint = suggestCommand(typed, names);
    runtime.stderr.write(
      `coskit: unknown command '${typed}'${hint ? `; did you mean "coskit ${hint}"?` : ''}\n(run coskit --help for the list of commands)\n`,
    );
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv]);
    if (runtime.exitCode === EXIT.interrupted) runtime.writeInterruptHint();
    return runtime.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      runtime.stderr.write(`coskit: ${err.message}\n`);
      return EXIT.usage;
    }
    if (runtime.interrupted) {
      runtime.writeInterruptHint();
      return EXIT.interrupted;
    }
    if (err instanceof CliError) {
      runtime.stderr.write(`coskit: ${err.message}\n`);
      return err.exitCode;
    }
    runtime.stderr.write(`coskit: ${describeError(err)}\n`);
    return EXIT.fatal;
  } finally {
    runtime.dispose();
  }
}
