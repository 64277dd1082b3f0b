import type { Argv, CommandModule } from 'yargs';
import { BadInputError } from '../../errors.js';
import { openTrace, resolveHeader } from '../../trace/load.js';
import { checkSemantics, jsonOption, semanticsOption } from '../options.js';
import { expandTraceArgs } from '../paths.js';
import { raiseExit, reportError } from '../status.js';

interface ValidateArgs {
  trace: string[];
  semantics?: string;
  json: boolean;
}

/** Checks one trace without replaying it: schema, semantics, config (reference: Traces). Streams NDJSON. */
export function validateTrace(path: string, semantics?: string): { events: number; semantics: string } {
  const t = openTrace(path);
  try {
    const { version } = resolveHeader(t.header, path, semantics);
    let events = 0;
    for (const _ of t.events) events++;
    return { events, semantics: version.name };
  } finally {
    t.close();
  }
}

function validateOne(path: string, args: ValidateArgs): number {
  try {
    const { events, semantics } = validateTrace(path, args.semantics);
    process.stdout.write(args.json ? JSON.stringify({ trace: path, valid: true, semantics, events }) + '\n' : `${path}: valid (${events} events, ${semantics})\n`);
    return 0;
  } catch (e) {
    const status = reportError(e);
    if (args.json) {
      const error = e instanceof BadInputError ? e.message : 'internal error';
      process.stdout.write(JSON.stringify({ trace: path, valid: false, error }) + '\n');
    }
    return status;
  }
}

/** `kreplay validate <trace...>`: exit 0 when every trace is well-formed, 2 otherwise (reference: Command line). */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <trace...>',
  describe: 'check traces against the schemas without replaying them',
  builder: (y: Argv) =>
    y
      .positional('trace', { type: 'string', array: true, demandOption: true, describe: 'trace files or directories' })
      .option('semantics', semanticsOption)
      .option('json', jsonOption) as unknown as Argv<ValidateArgs>,
  handler(args) {
    checkSemantics(args.semantics);
    for (const path of expandTraceArgs(args.trace)) raiseExit(validateOne(path, args));
  },
};
