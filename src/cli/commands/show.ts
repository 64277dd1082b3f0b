import type { Argv, CommandModule } from 'yargs';
import { showState } from '../../show/load.js';
import { formatShow } from '../../show/text.js';
import { stdoutColours, stdoutWidth } from '../colour.js';
import { checkSemantics, countFlag, jsonOption } from '../options.js';

interface ShowArgs {
  input: string;
  at?: string;
  semantics?: string;
  json: boolean;
}

/** `kreplay show <trace|state> [--at N]` (issue 15): the state as a person reads it. Exit 0, or 2 on bad input. */
export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <input>',
  describe: 'show a state as trees: processes, cgroup hierarchies with their settings and tasks, VPS vpid maps, nodes',
  builder: (y: Argv) =>
    y
      .positional('input', { type: 'string', describe: 'a trace (replayed) or a state file (replay --state-out)' })
      .option('at', { type: 'string', requiresArg: true, describe: 'show the state after event N (1-based; 0 = the boot state) [the last event]' })
      .option('semantics', { type: 'string', requiresArg: true, describe: "semantic version to replay under, overriding the trace header's (containers-2006, cgroups-2009)" })
      .option('json', { ...jsonOption, describe: 'the same as one JSON object: {source, at, semantics, stateHash, event, view}' }) as unknown as Argv<ShowArgs>,
  handler(args) {
    checkSemantics(args.semantics);
    const at = countFlag('at', args.at);
    const shown = showState(args.input, { at, semantics: args.semantics });
    if (args.json) {
      const { source, at: n, semantics, stateHash, event, view } = shown;
      process.stdout.write(JSON.stringify({ source, at: n, semantics, stateHash, event, view }) + '\n');
    } else process.stdout.write(formatShow(shown.view, shown, stdoutColours(), stdoutWidth()) + '\n');
  },
};
