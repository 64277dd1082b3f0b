import type { Argv, CommandModule } from 'yargs';
import { INVARIANTS } from '../../invariants/index.js';
import { POSTCONDITIONS } from '../../invariants/postconditions.js';
import { jsonOption } from '../options.js';

interface InvariantsArgs {
  json: boolean;
}

/** `kreplay invariants`: every invariant's id and description (reference: Invariants and postconditions). */
export const invariantsCommand: CommandModule<object, InvariantsArgs> = {
  command: 'invariants',
  describe: 'list the invariants checked after every event and the postconditions checked around each op',
  builder: (y: Argv) => y.option('json', jsonOption) as unknown as Argv<InvariantsArgs>,
  handler(args) {
    // the invariants after every event, then every op's postconditions around it (issue 12)
    const rows = [...INVARIANTS.map((i) => ({ id: i.id, description: i.description })), ...POSTCONDITIONS.map((p) => ({ id: p.id, description: p.doc }))];
    if (args.json) {
      process.stdout.write(JSON.stringify(rows) + '\n');
      return;
    }
    const width = Math.max(0, ...rows.map((i) => i.id.length));
    for (const i of rows) process.stdout.write(`${i.id.padEnd(width)}  ${i.description}\n`);
  },
};
