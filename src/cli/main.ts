import yargs from 'yargs';
import { BadInputError } from '../errors.js';
import { KREPLAY_VERSION } from './version.js';
import { diffCommand } from './commands/diff.js';
import { fuzzCommand } from './commands/fuzz.js';
import { invariantsCommand } from './commands/invariants.js';
import { opsCommand } from './commands/ops.js';
import { replayCommand } from './commands/replay.js';
import { validateCommand } from './commands/validate.js';
import { raiseExit, reportError } from './status.js';

/** A yargs usage error (unknown flag, missing argument): bad input, exit 2 (reference: Command line). */
function usageError(msg: string | null, err: Error | undefined): never {
  if (err && !(err instanceof BadInputError) && err.name !== 'YError') throw err;
  throw new BadInputError('', `${(msg ?? err?.message ?? 'bad usage').replace(/\s*\n\s*/g, ' ')} (see kreplay --help)`);
}

/**
 * The CLI (reference: Command line). Returns the exit status and sets process.exitCode (no process.exit, so
 * piped stdout is flushed): 0 good, 1 something found, 2 bad input, 3 internal error.
 */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await yargs(argv)
      .scriptName('kreplay')
      .usage('$0 <command> [options]\n\nReplay, validate, fuzz and diff kernel process-containment traces.')
      .command(replayCommand)
      .command(fuzzCommand)
      .command(diffCommand)
      .command(validateCommand)
      .command(invariantsCommand)
      .command(opsCommand)
      .demandCommand(1, 'name a command')
      .recommendCommands()
      .strict()
      .version(KREPLAY_VERSION)
      .help()
      .alias('h', 'help')
      .wrap(null)
      .exitProcess(false)
      .fail(usageError)
      .parseAsync();
  } catch (e) {
    raiseExit(reportError(e));
  }
  return Number(process.exitCode ?? 0);
}

