import type { Argv, CommandModule } from 'yargs';
import { INVARIANTS } from '../../invariants/index.js';
import { jsonOption } from '../options.js';

interface InvariantsArgs {
  json: boolean;
}

/** `kreplay invariants`: every invariant's id and description (reference: Invariants and postconditions). */
export const invariantsCommand: CommandModule<object, InvariantsArgs> = {
  command: 'invariants',
  describe: 'list the invariants checked after every event',
  builder: (y: Argv) => y.option('json', jsonOption) as unknown as Argv<InvariantsArgs>,
  handler(args) {
    if (args.json) {
      const list = INVARIANTS.map((i) => ({ id: i.id, description: i.description }));
      process.stdout.write(JSON.stringify(list) + '\n');
      return;
    }
    const width = Math.max(0, ...INVARIANTS.map((i) => i.id.length));
    for (const i of INVARIANTS) process.stdout.write(`${i.id.padEnd(width)}  ${i.description}\n`);
  },
};
