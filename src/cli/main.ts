import yargs from 'yargs';
import { BadInputError } from '../errors.js';
import { KREPLAY_VERSION } from './version.js';
import { diffCommand } from './commands/diff.js';
import { fuzzCommand } from './commands/fuzz.js';
import { invariantsCommand } from './commands/invariants.js';
import { conformCommand } from './commands/conform.js';
import { recordCommand } from './commands/record.js';
import { opsCommand } from './commands/ops.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { showCommand } from './commands/show.js';
import { validateCommand } from './commands/validate.js';
import { raiseExit, reportError } from './status.js';

/** A yargs usage error (unknown flag, missing argument): bad input, exit 2 (reference: Command line). */
function usageError(msg: string | null, err: Error | undefined): never {
  if (err && !(err instanceof BadInputError) && err.name !== 'YError') throw err;
  throw new BadInputError('', `${(msg ?? err?.message ?? 'bad usage').replace(/\s*\n\s*/g, ' ')} (see kreplay --help)`);
}

/** yargs drops a lone `-`; it stands for standard input, so it passes yargs as this token. */
const DASH = '\u0000kreplay-stdin';

/** Puts every `-` back where yargs delivered the token. */
function restoreDash(argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (v === DASH) argv[k] = '-';
    else if (Array.isArray(v)) argv[k] = v.map((x) => (x === DASH ? '-' : x));
  }
}

/**
 * The CLI (reference: Command line). Returns the exit status and sets process.exitCode (no process.exit, so
 * piped stdout is flushed): 0 good, 1 something found, 2 bad input, 3 internal error.
 */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await yargs(argv.map((a) => (a === '-' ? DASH : a)))
      .middleware(restoreDash, true)
      .scriptName('kreplay')
      .usage('$0 <command> [options]\n\nReplay, validate, fuzz, diff, show and report kernel process-containment traces.')
      .command(replayCommand)
      .command(fuzzCommand)
      .command(diffCommand)
      .command(validateCommand)
      .command(invariantsCommand)
      .command(recordCommand)
      .command(conformCommand)
      .command(showCommand)
      .command(reportCommand)
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

