import type { Argv, CommandModule } from 'yargs';
import { allOpDocs, opDoc, opMarkdown } from '../../doc/ops.js';
import { BadInputError } from '../../errors.js';
import type { Op } from '../../reducer/context.js';
import { OPS } from '../../reducer/registry.js';
import { didYouMean } from '../../trace/suggest.js';
import { jsonOption } from '../options.js';

interface OpsArgs {
  op?: string;
  json: boolean;
}

/** `kreplay ops [op]`: every op with its summary, or one op's section of docs/reference.md. */
export const opsCommand: CommandModule<object, OpsArgs> = {
  command: 'ops [op]',
  describe: 'list the ops, or show one: arguments, return value, errnos in check order per version, example',
  builder: (y: Argv) =>
    y.positional('op', { type: 'string', describe: 'an op name, e.g. fork or write' }).option('json', jsonOption) as unknown as Argv<OpsArgs>,
  handler(args) {
    if (args.op === undefined) {
      const docs = allOpDocs();
      if (args.json) {
        process.stdout.write(JSON.stringify(docs) + '\n');
        return;
      }
      const width = Math.max(...docs.map((d) => d.name.length));
      for (const d of docs) process.stdout.write(`${d.name.padEnd(width)}  ${d.summary}\n`);
      return;
    }
    if (!OPS.has(args.op as Op)) {
      throw new BadInputError('ops', `unknown op ${JSON.stringify(args.op)}${didYouMean(args.op, OPS.keys())}`);
    }
    const d = opDoc(args.op as Op);
    process.stdout.write((args.json ? JSON.stringify(d) : opMarkdown(d)) + '\n');
  },
};
