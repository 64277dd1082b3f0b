import type { Argv, CommandModule } from 'yargs';
import { BadInputError } from '../../errors.js';
import { explainOutcome } from '../../replay/explain.js';
import { writeReport } from '../../report/report.js';
import { checkOutputTarget } from '../../trace/atomic-write.js';
import { checkSemantics, jsonOption } from '../options.js';

interface ReportArgs {
  trace: string;
  out?: string;
  semantics?: string;
  json: boolean;
}

/**
 * `kreplay report <trace> -o report.html` (issue 15): one self-contained HTML file for time
 * travel over the trace. Exit 0 when written (divergences and violations are in the report, and
 * in `replay`'s exit status), 2 on bad input.
 */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <trace>',
  describe: 'write a self-contained HTML report of a trace: timeline, divergences and violations, trees and diff at any event',
  builder: (y: Argv) =>
    y
      .positional('trace', { type: 'string', describe: 'a trace (.json, .ndjson, .jsonl)' })
      .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'the HTML file to write (replaced whole, never half-written) [required]' })
      .option('semantics', { type: 'string', requiresArg: true, describe: "semantic version to replay under, overriding the trace header's (containers-2006, cgroups-2009, linux-6)" })
      .option('json', { ...jsonOption, describe: 'print {out, bytes, events, divergences, violations} as one JSON object' }) as unknown as Argv<ReportArgs>,
  handler(args) {
    checkSemantics(args.semantics);
    if (args.out === undefined) throw new BadInputError('--out', 'name the HTML file to write: kreplay report TRACE -o report.html');
    // The target's folder is checked before the replay, and the report never replaces its trace.
    checkOutputTarget(args.out, { flag: '--out', inputs: [args.trace] });
    const s = writeReport(args.trace, args.out, { semantics: args.semantics, reasonOf: (_i, _ev, o) => explainOutcome(o)?.text });
    if (args.json) process.stdout.write(JSON.stringify(s) + '\n');
    else {
      const found = `${s.divergences} divergence${s.divergences === 1 ? '' : 's'}, ${s.violations} violation${s.violations === 1 ? '' : 's'}`;
      process.stdout.write(`${s.out}: ${s.events} events, ${found}, ${(s.bytes / 1024).toFixed(0)} KiB; open it in a browser\n`);
    }
  },
};
