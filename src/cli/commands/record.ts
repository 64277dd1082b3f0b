import type { Argv, CommandModule } from 'yargs';
import { checkOutputTarget, writeOutputAtomically } from '../../trace/atomic-write.js';
import { recordingText, recordTrace } from '../../record/record.js';
import { RecordFailure, RecordRefusal } from '../../record/refusal.js';
import { loadTrace } from '../../trace/load.js';
import { checkPrivileges } from '../../record/machine.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, raiseExit } from '../status.js';

interface RecordArgs {
  trace: string;
  out: string;
  'skip-unrecordable': boolean;
}

/** A refusal is bad input (one line, exit 2); a failed sandbox is exit 3 (docs/recording.md). */
export function reportRecordError(e: unknown, where: string): boolean {
  if (e instanceof RecordRefusal) {
    process.stderr.write(`kreplay: ${where}: ${e.message}\n`);
    raiseExit(EXIT_BAD_INPUT);
    return true;
  }
  if (e instanceof RecordFailure) {
    process.stderr.write(`kreplay: ${where}: recording failed: ${e.message}\n`);
    raiseExit(EXIT_INTERNAL);
    return true;
  }
  return false;
}

/** `kreplay record <trace> --out FILE` (docs/recording.md). */
export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record <trace>',
  describe: "run a trace on the live kernel (root, Linux, cgroup v1 cpuset) and write it with the kernel's outcomes as expect",
  builder: (y: Argv) =>
    y
      .positional('trace', { type: 'string', demandOption: true, describe: 'trace file (.json, .ndjson, .jsonl)' })
      .option('out', { type: 'string', demandOption: true, requiresArg: true, describe: 'where to write the recorded trace (JSON)' })
      .option('skip-unrecordable', { type: 'boolean', default: false, describe: 'drop events a live kernel cannot run instead of refusing' }) as unknown as Argv<RecordArgs>,
  async handler(args) {
    try {
      // Who may record first (a user without root learns that before anything about files), then
      // the target's folder, and the input refused as a target, before anything runs.
      checkPrivileges();
      checkOutputTarget(args.out, { flag: '--out', inputs: [args.trace] });
      const trace = loadTrace(args.trace);
      const rec = await recordTrace(trace, { skipUnrecordable: args['skip-unrecordable'], handleSignals: true });
      writeOutputAtomically(args.out, recordingText(rec.header, rec.events));
      const dropped = args['skip-unrecordable'] ? `; ${rec.skipped} unrecordable event${rec.skipped === 1 ? '' : 's'} dropped` : '';
      process.stdout.write(`${args.trace}: ${rec.events.length} events recorded on Linux ${rec.header.kernel?.release} into ${args.out}${dropped}\n`);
    } catch (e) {
      if (!reportRecordError(e, args.trace)) throw e;
    }
  },
};
