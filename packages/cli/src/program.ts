/** The `coskit` command: one sub-command per file under commands/. */
import { Command, CommanderError } from 'commander';
import { registerServe } from './commands/serve.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export function buildProgram(): Command {
  const program = new Command('coskit')
    .description('Upload to Tencent Cloud COS — and run a COS-compatible server — from the command line.')
    .showHelpAfterError('(run with --help for usage)')
    .version('0.1.0')
    .exitOverride();
  registerServe(program);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`coskit: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`coskit: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.fatal;
  }
}
