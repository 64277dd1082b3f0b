import type { Argv, CommandModule } from 'yargs';
import { conformTrace, disagreementLines, newestSemantics } from '../../record/conform.js';
import { loadTrace } from '../../trace/load.js';
import { replayJson } from '../format.js';
import { checkSemantics, jsonOption } from '../options.js';
import { expandTraceArgs } from '../paths.js';
import { EXIT_FOUND, raiseExit, reportError } from '../status.js';
import { reportRecordError } from './record.js';

interface ConformArgs {
  trace: string[];
  semantics?: string;
  json: boolean;
  'skip-unrecordable': boolean;
}

/** `kreplay conform <trace...>` (docs/recording.md): record on the live kernel, replay under the model, list disagreements. */
export const conformCommand: CommandModule<object, ConformArgs> = {
  command: 'conform <trace...>',
  describe: 'record traces on the live kernel and replay the recordings under a semantic version: where do kernel and model disagree?',
  builder: (y: Argv) =>
    y
      .positional('trace', { type: 'string', array: true, demandOption: true, describe: 'trace files or directories' })
      .option('semantics', { type: 'string', describe: `semantic version to compare with (default the newest, ${newestSemantics()})` })
      .option('json', jsonOption)
      .option('skip-unrecordable', { type: 'boolean', default: false, describe: 'drop events a live kernel cannot run instead of refusing' }) as unknown as Argv<ConformArgs>,
  async handler(args) {
    const semantics = checkSemantics(args.semantics) ?? newestSemantics();
    for (const path of expandTraceArgs(args.trace)) {
      try {
        const c = await conformTrace(loadTrace(path), semantics, { skipUnrecordable: args['skip-unrecordable'], handleSignals: true });
        const lines = disagreementLines(c);
        const found = lines.length > 0 || c.replay.violations.length > 0;
        if (args.json) process.stdout.write(replayJson(c.replay) + '\n');
        else {
          const head = `${path}: ${c.replay.events} events on Linux ${c.recording.header.kernel?.release} against ${semantics}: `;
          process.stdout.write(head + (found ? `${lines.length} disagreements` : 'the kernel and the model agree') + '\n');
          for (const l of lines) process.stdout.write(`  ${l}\n`);
          for (const v of c.replay.violations) process.stdout.write(`  violation after event ${v.index}: ${v.invariant}: ${v.message}\n`);
        }
        if (found) raiseExit(EXIT_FOUND);
      } catch (e) {
        if (!reportRecordError(e, path)) raiseExit(reportError(e));
      }
    }
  },
};
