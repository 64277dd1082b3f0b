import type { Argv, CommandModule } from 'yargs';
import { BadInputError } from '../../errors.js';
import { declaredCrash, headerCheckViolation } from '../../fuzz/replay-check.js';
import { type ExplainedEvent, explainEvent } from '../../replay/explain.js';
import { replayFile } from '../../replay/replay.js';
import { canonicalStateText } from '../../state/canonical.js';
import { AtomicOutput, checkOutputTarget } from '../../trace/atomic-write.js';
import type { InputLimits } from '../../trace/input.js';
import { TraceWriter } from '../../trace/write.js';
import { replayHuman, replayJson } from '../format.js';
import { checkSemantics, countFlag, jsonOption, limitOptions, limitsFrom, semanticsOption } from '../options.js';
import { expandTraceArgs } from '../paths.js';
import { EXIT_BAD_INPUT, EXIT_FOUND, EXIT_INTERNAL, EXIT_OK, raiseExit, reportError } from '../status.js';

interface ReplayArgs {
  trace: string[];
  semantics?: string;
  at?: string;
  json: boolean;
  log?: string;
  stateOut?: string;
  invariants: boolean;
  'full-invariants': boolean;
  maxLineBytes?: string;
  maxJsonBytes?: string;
  explain: boolean;
}

function builder(y: Argv): Argv<ReplayArgs> {
  return y
    .positional('trace', { type: 'string', default: undefined, describe: 'trace files (.json, .ndjson, .jsonl) or directories' })
    .option('semantics', semanticsOption)
    .option('at', { type: 'string', requiresArg: true, describe: 'stop after event N (1-based; 0 = the boot state): time travel' })
    .option('json', jsonOption)
    .option('log', { type: 'string', describe: 'write the events with their actual outcomes as expect (NDJSON if FILE ends in .ndjson/.jsonl)' })
    .option('state-out', { type: 'string', describe: 'write the canonical state after the last event applied' })
    .option('invariants', { type: 'boolean', default: true, describe: 'check every invariant after every event (--no-invariants to skip)' })
    .options(limitOptions)
    .option('explain', { type: 'boolean', default: false, describe: 'list every event with its outcome, and why each failed or blocked one did (reason code and sentence)' })
    .option('full-invariants', { type: 'boolean', default: false, describe: 'run every invariant in full after every event (slow reference for the default scoped checking; same report)' }) as unknown as Argv<ReplayArgs>;
}

/**
 * Replays one trace, writing the log as it goes; returns its exit status. The log and the state
 * are written beside their targets and put in place only once the replay completed (exit 0 or
 * 1): bad input or an internal error leaves both targets as they were (atomic-write.ts).
 */
function replayOne(path: string, args: ReplayArgs, at: number | undefined, limits: Partial<InputLimits>): number {
  const logged: { writer: TraceWriter | null } = { writer: null };
  let state: AtomicOutput | null = null;
  const explained: ExplainedEvent[] | undefined = args.explain ? [] : undefined;
  try {
    const r = replayFile(path, {
      semantics: args.semantics,
      at,
      invariants: args.invariants,
      fullInvariants: args['full-invariants'],
      input: { limits, keepSource: args.log !== undefined },
      onEvent: args.log === undefined && !explained ? undefined : (i, ev, outcome) => {
        logged.writer?.writeEvent(ev, outcome);
        explained?.push(explainEvent(i, ev, outcome));
      },
      onStart: args.log === undefined ? undefined : (header, semantics) => {
        logged.writer = new TraceWriter(args.log as string, header, semantics);
      },
    });
    // a counterexample's `check` (a run-level property, a crash): re-checked as the fuzzer checks it
    const checked = r.header.check === undefined ? null : headerCheckViolation(path, r, args.semantics);
    if (checked) r.violations.push(checked);
    if (args.stateOut !== undefined) {
      state = new AtomicOutput(args.stateOut);
      state.write(canonicalStateText(r.kernel.s, r.kernel.v) + '\n');
    }
    process.stdout.write((args.json ? replayJson(r, explained) : replayHuman(r, undefined, explained)) + '\n');
    logged.writer?.close();
    logged.writer = null;
    state?.commit();
    state = null;
    return r.divergences.length > 0 || r.violations.length > 0 ? EXIT_FOUND : EXIT_OK;
  } catch (e) {
    const crash = e instanceof BadInputError ? null : declaredCrash(path, e);
    if (crash) {
      process.stdout.write(`${path}  FAIL: ${crash} (the crash its check header names)\n`);
      return EXIT_FOUND;
    }
    return reportError(e);
  } finally {
    logged.writer?.abort();
    state?.abort();
  }
}

/** The closing line of a multi-trace run: how many were clean, failed, or could not be read. */
function summary(statuses: number[]): string {
  const n = (code: number): number => statuses.filter((s) => s === code).length;
  const parts = [`${n(EXIT_OK)} ok`, `${n(EXIT_FOUND)} with divergences or violations`];
  if (n(EXIT_BAD_INPUT) > 0) parts.push(`${n(EXIT_BAD_INPUT)} bad input`);
  if (n(EXIT_INTERNAL) > 0) parts.push(`${n(EXIT_INTERNAL)} internal errors`);
  return `${statuses.length} traces: ${parts.join(', ')}`;
}

/** `kreplay replay <trace...>` (reference: Command line). */
export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <trace...>',
  describe: 'replay traces: apply every event, check every invariant, compare expect',
  builder,
  handler(args) {
    checkSemantics(args.semantics);
    const at = countFlag('at', args.at);
    const traces = expandTraceArgs(args.trace);
    const limits = limitsFrom(args);
    if (traces.length > 1 && (args.log !== undefined || args.stateOut !== undefined)) {
      throw new BadInputError(args.log !== undefined ? '--log' : '--state-out', `needs exactly one trace, got ${traces.length}`);
    }
    // Every target is checked before any work: a bad one costs nothing and loses nothing.
    if (args.log !== undefined) checkOutputTarget(args.log, { flag: '--log', inputs: traces, others: args.stateOut === undefined ? [] : [args.stateOut] });
    if (args.stateOut !== undefined) checkOutputTarget(args.stateOut, { flag: '--state-out', inputs: traces });
    const statuses = traces.map((path) => replayOne(path, args, at, limits));
    for (const status of statuses) raiseExit(status);
    if (!args.json && traces.length > 1) process.stdout.write(summary(statuses) + '\n');
  },
};
