import type { Argv, CommandModule } from 'yargs';
import { BadInputError } from '../../errors.js';
import { openTrace, resolveHeader } from '../../trace/load.js';
import type { InputLimits } from '../../trace/input.js';
import { cut } from '../../trace/json-position.js';
import { checkSemantics, jsonOption, limitOptions, limitsFrom } from '../options.js';
import { expandTraceArgs } from '../paths.js';
import { raiseExit, reportError } from '../status.js';

interface ValidateArgs {
  trace: string[];
  semantics?: string;
  json: boolean;
  maxLineBytes?: string;
  maxJsonBytes?: string;
}

/** Checks one trace without replaying it: schema, semantics, config (reference: Traces). Streams NDJSON. */
export function validateTrace(path: string, semantics?: string, limits?: Partial<InputLimits>): { events: number; semantics: string } {
  const t = openTrace(path, { limits });
  try {
    const { version } = resolveHeader(t.header, path, semantics);
    let events = 0;
    for (const _ of t.events) events++;
    return { events, semantics: version.name };
  } finally {
    t.close();
  }
}

function validateOne(path: string, args: ValidateArgs, limits: Partial<InputLimits>): number {
  try {
    const { events, semantics } = validateTrace(path, args.semantics, limits);
    process.stdout.write(args.json ? JSON.stringify({ trace: path, valid: true, semantics, events }) + '\n' : `${path}: valid (${events} events, ${semantics})\n`);
    return 0;
  } catch (e) {
    const status = reportError(e);
    if (args.json) {
      const error = e instanceof BadInputError ? cut(e.message, 2000) : 'internal error';
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
      .positional('trace', { type: 'string', default: undefined, describe: 'trace files (.json, .ndjson, .jsonl) or directories, or - for standard input' })
      .option('semantics', {
        type: 'string',
        requiresArg: true,
        describe: "semantic version to check the header's config against, overriding the trace header's (containers-2006, cgroups-2009, linux-6)",
      })
      .option('json', jsonOption)
      .options(limitOptions) as unknown as Argv<ValidateArgs>,
  handler(args) {
    checkSemantics(args.semantics);
    const limits = limitsFrom(args);
    for (const path of expandTraceArgs(args.trace)) raiseExit(validateOne(path, args, limits));
  },
};
