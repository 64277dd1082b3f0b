import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { BadInputError } from '../../errors.js';
import { type CampaignOptions, DEFAULT_SEED, runCampaign } from '../../fuzz/campaign.js';
import { DEFAULT_OUT, recheckTrace, writeCounterexample } from '../../fuzz/counterexample.js';
import { branchReport, missingCoverage, undeclaredBranches } from '../../fuzz/coverage-spec.js';
import { Coverage } from '../../fuzz/coverage.js';
import { describeFailure } from '../../fuzz/failure.js';
import { runParallel, toWire, type WireResult } from '../../fuzz/parallel.js';
import { type SemanticsName, VERSIONS } from '../../semantics/versions.js';
import { checkOutputTarget } from '../../trace/atomic-write.js';
import { type AgainstArgs, againstKernelCommand } from '../against-kernel.js';
import { parseSeed, progress } from '../campaign.js';
import { boundedCountFlag, checkSemantics, countFlag, jsonOption } from '../options.js';
import { EXIT_FOUND, EXIT_INTERRUPTED, EXIT_OK, raiseExit, reportError } from '../status.js';

/** Bounds of the count flags: past them a campaign would only exhaust memory or never end. */
export const MAX_RUNS = 1_000_000_000;
export const MAX_EVENTS = 10_000;


/** The flags of `kreplay fuzz`: those `--against-kernel` reads, and the switch itself. */
interface FuzzArgs extends AgainstArgs {
  againstKernel: boolean;
}

/** `--shard i/n`: 0 <= i < n. */
function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(text).trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new BadInputError('--shard', `expected i/n with 0 <= i < n, got ${JSON.stringify(text)}`);
  return { index, count };
}

function report(r: WireResult, opts: CampaignOptions, args: FuzzArgs, seconds: number, out: string): number {
  const coverage = new Coverage();
  coverage.merge(r.coverage);
  coverage.branches.merge(r.branches);
  const missing = missingCoverage(coverage, opts.faults);
  const rows = branchReport(coverage.branches, opts.faults, opts.semantics);
  const branches = {
    reached: rows.reduce((n, x) => n + x.reached, 0),
    total: rows.reduce((n, x) => n + x.total, 0),
    ops: rows,
    unreached: rows.flatMap((x) => x.unreached.map((b) => `${x.op} ${b}`)),
    undeclared: undeclaredBranches(coverage.branches),
  };
  const rate = seconds > 0 ? Math.round(r.events / seconds) : 0;
  const cx = r.counterexample;
  const replayHint = cx ? `kreplay replay ${out}` : null;
  const campaign = `kreplay fuzz --seed ${opts.seed} --runs ${opts.runs} --max-events ${opts.maxEvents}${opts.semantics ? ` --semantics ${opts.semantics}` : ''}${opts.faults ? ' --faults' : ''}${args.shard ? ` --shard ${args.shard}` : ''}`;
  if (args.json) {
    process.stdout.write(
      JSON.stringify({
        seed: opts.seed,
        runs: r.runs,
        events: r.events,
        eventsPerSecond: rate,
        semantics: opts.semantics ?? 'every',
        faults: opts.faults,
        shard: opts.shard ? `${opts.shard.index}/${opts.shard.count}` : null,
        failure: cx ? { ...cx.failure, run: cx.run, shrinks: cx.shrinks, events: cx.result.events.length, out, reproduce: replayHint } : null,
        reproduce: campaign,
        coverage: coverage.table(),
        missing,
        branches,
      }) + '\n',
    );
  } else {
    const lines = [`fuzz: ${r.runs} runs, ${r.events} events checked in ${seconds.toFixed(1)} s (${rate} events/s), seed ${opts.seed}`];
    lines.push(`coverage: ${coverage.table().length} (op, outcome) pairs reached; ${missing.length ? `not reached from the registry's errno table: ${missing.join(', ')}` : 'every (op, errno) pair of the registry reached'}`);
    lines.push(`branches: ${branches.reached} of ${branches.total} (op, precondition branch) pairs of the registry reached; by op: ${rows.map((x) => `${x.op} ${x.reached}/${x.total}`).join(', ')}`);
    lines.push(branches.unreached.length ? `branches not reached: ${branches.unreached.join(', ')}` : 'every (op, branch) pair of the registry reached');
    if (branches.undeclared.length) lines.push(`branches reached that the op's registry entry does not declare (op branch version): ${branches.undeclared.join(', ')}`);
    if (cx) {
      lines.push(`FAIL ${describeFailure(cx.failure)}`);
      lines.push(`counterexample: ${cx.result.events.length} events after ${cx.shrinks} shrinks (run ${cx.run}), written to ${out}; reproduce it: ${replayHint}`);
      lines.push(`reproduce the campaign: ${campaign}`);
    } else lines.push('no invariant or property failure');
    process.stdout.write(lines.join('\n') + '\n');
  }
  // The failure is printed first: a write error (exit 2) then never hides it.
  if (cx) {
    try {
      writeCounterexample(cx, out);
    } catch (e) {
      return Math.max(EXIT_FOUND, reportError(e));
    }
  }
  return cx ? EXIT_FOUND : EXIT_OK;
}

/** What ran before SIGINT: the runs completed, the seed, and how to run the campaign again. */
function interrupted(opts: CampaignOptions, args: FuzzArgs, runs: number, expected: number, seconds: number): void {
  const campaign = `kreplay fuzz --seed ${opts.seed} --runs ${opts.runs} --max-events ${opts.maxEvents}${opts.semantics ? ` --semantics ${opts.semantics}` : ''}${opts.faults ? ' --faults' : ''}${args.shard ? ` --shard ${args.shard}` : ''}`;
  if (args.json) {
    process.stdout.write(JSON.stringify({ interrupted: true, seed: opts.seed, runs, of: expected, seconds: Number(seconds.toFixed(1)), failure: null, reproduce: campaign }) + '\n');
  } else {
    process.stdout.write(`fuzz: interrupted by SIGINT after ${runs} of ${expected} runs in ${seconds.toFixed(1)} s, seed ${opts.seed}; no failure in the runs that completed\nreproduce the campaign: ${campaign}\n`);
  }
}

function replayCounterexample(args: FuzzArgs): number {
  const r = recheckTrace(args.replay as string, args.semantics);
  const f = r.failure;
  if (args.json) process.stdout.write(JSON.stringify({ trace: args.replay, events: r.events.length, failure: f }) + '\n');
  else process.stdout.write(f ? `${args.replay}: FAIL ${describeFailure(f)}\n` : `${args.replay}: every invariant and property holds (${r.events.length} events)\n`);
  return f ? EXIT_FOUND : EXIT_OK;
}

/** `kreplay fuzz` (reference: Command line): property-based campaigns; exit 1 with a shrunk counterexample on failure. */
export const fuzzCommand: CommandModule<object, FuzzArgs> = {
  command: 'fuzz',
  describe: 'fuzz every invariant and property with generated event sequences (fast-check), shrinking failures to a trace',
  builder: (y: Argv) =>
    y
      .option('runs', { type: 'string', requiresArg: true, describe: 'generated runs [1000]' })
      .option('seed', { type: 'string', requiresArg: true, describe: `campaign seed (an integer, or "random") [${DEFAULT_SEED}]` })
      .option('max-events', { type: 'string', requiresArg: true, describe: 'events per run at most [60]' })
      .option('semantics', {
        type: 'string',
        requiresArg: true,
        describe: `semantic version every generated run uses (${Object.keys(VERSIONS).join(', ')}) [every: each run picks one]; with --replay, the version to re-check under instead of the header's`,
      })
      .option('faults', { type: 'boolean', default: false, describe: 'mix inject events in (reference: inject)' })
      .option('out', { type: 'string', requiresArg: true, describe: `counterexample trace file [${DEFAULT_OUT}]` })
      .option('json', jsonOption)
      .option('shard', { type: 'string', requiresArg: true, describe: 'run shard i of n (i/n); the union of all shards is the unsharded campaign' })
      .option('workers', { type: 'string', requiresArg: true, describe: 'worker threads (uses the built dist/) [1]' })
      .option('replay', { type: 'string', requiresArg: true, describe: 're-check every invariant and property on a counterexample trace' })
      .option('against-kernel', {
        type: 'boolean',
        default: false,
        describe: `differential fuzzing: run each generated trace on the live kernel (as record does: root, the executor, cgroup v1 cpuset) and on the model under linux-6; shrink the first disagreement and write the kernel's recording of it to --out [runs 100]`,
      })
      .option('keep-going', { type: 'boolean', default: false, describe: 'with --against-kernel: run every run after a disagreement and count each run\'s first one by kind (only the first found is shrunk)' }) as unknown as Argv<FuzzArgs>,
  async handler(args) {
    if (args.againstKernel) return raiseExit(await againstKernelCommand(args));
    if (args.keepGoing) throw new BadInputError('--keep-going', 'only with --against-kernel (a model campaign stops at its first failure to shrink it)');
    const semantics = checkSemantics(args.semantics) as SemanticsName | undefined;
    if (args.replay !== undefined) return raiseExit(replayCounterexample(args));
    const shard = parseShard(args.shard);
    const opts: CampaignOptions = {
      runs: boundedCountFlag('runs', args.runs, 0, MAX_RUNS) ?? 1000,
      seed: parseSeed(args.seed),
      maxEvents: boundedCountFlag('max-events', args.maxEvents, 0, MAX_EVENTS) ?? 60,
      faults: args.faults,
      ...(semantics ? { semantics } : {}),
      ...(shard ? { shard } : {}),
    };
    let workers = countFlag('workers', args.workers, 1) ?? 1;
    const cores = availableParallelism();
    if (workers > cores) {
      process.stderr.write(`kreplay: --workers ${workers}: this machine has ${cores} cores; using ${cores}\n`);
      workers = cores;
    }
    const out = args.out ?? DEFAULT_OUT;
    // An explicit --out is checked before the campaign: a bad target costs no run.
    if (args.out !== undefined) checkOutputTarget(args.out, { flag: '--out' });
    if (!args.json) process.stdout.write(`fuzz: seed ${opts.seed}${shard ? `, shard ${args.shard}` : ''}, ${opts.runs} runs of up to ${opts.maxEvents} events, semantics ${semantics ?? 'every version'}${opts.faults ? ', faults' : ''}${workers > 1 ? `, ${workers} workers` : ''}\n`);
    const expected = shard ? Math.ceil((opts.runs - shard.index) / shard.count) : opts.runs;
    const bar = progress(Math.max(0, expected), args.json);
    const t0 = performance.now();
    let r: WireResult;
    // The built CLI runs even one worker on a thread, so that SIGINT finds the main thread free
    // to print what ran; in-process callers (the library, tests) run a single worker inline.
    const threaded = workers > 1 || import.meta.url.includes('/dist/');
    const stop = new AbortController();
    let done = 0;
    const tick = (n: number): void => {
      done += n;
      bar.tick(n);
    };
    const onSigint = (): void => stop.abort();
    if (threaded) process.once('SIGINT', onSigint);
    try {
      r = threaded ? await runParallel(opts, workers, tick, stop.signal) : toWire(runCampaign({ ...opts, onRun: () => tick(1) }));
    } catch (e) {
      if (!stop.signal.aborted) throw e;
      bar.stop();
      interrupted(opts, args, done, expected, (performance.now() - t0) / 1000);
      return raiseExit(EXIT_INTERRUPTED);
    } finally {
      process.off('SIGINT', onSigint);
      bar.stop();
    }
    raiseExit(report(r, opts, args, (performance.now() - t0) / 1000, out));
  },
};
