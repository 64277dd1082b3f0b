import { BadInputError } from '../errors.js';
import { DEFAULT_OUT } from '../fuzz/counterexample.js';
import { AGAINST_SEMANTICS, againstCounterexample, type AgainstOptions, type AgainstResult, disagreementText, runAgainstKernel, signature } from '../fuzz/against-kernel.js';
import { checkPrivileges, probeMachine } from '../record/machine.js';
import { RecordFailure, RecordRefusal } from '../record/refusal.js';
import { recordingText } from '../record/record.js';
import { checkOutputTarget, writeOutputAtomically } from '../trace/atomic-write.js';
import { parseSeed, progress } from './campaign.js';
import { boundedCountFlag } from './options.js';
import { EXIT_BAD_INPUT, EXIT_FOUND, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, reportError } from './status.js';

/** The flags of `kreplay fuzz` that `--against-kernel` reads. */
export interface AgainstArgs {
  runs?: string;
  seed?: string;
  maxEvents?: string;
  semantics?: string;
  faults: boolean;
  out?: string;
  json: boolean;
  shard?: string;
  workers?: string;
  replay?: string;
  keepGoing: boolean;
}

const WHERE = 'fuzz --against-kernel';

/** Flags of the model-only campaign that mean nothing against the kernel: bad input, before anything runs. */
function refuseFlags(args: AgainstArgs): void {
  const bad = (flag: string, why: string): never => {
    throw new BadInputError(flag, `cannot be used with --against-kernel: ${why}`);
  };
  if (args.semantics !== undefined && args.semantics !== AGAINST_SEMANTICS) bad('--semantics', `the kernel is compared with ${AGAINST_SEMANTICS}, the version record writes`);
  if (args.faults) bad('--faults', 'fault injection exists only in the model');
  if (args.shard !== undefined) bad('--shard', 'one campaign runs one sandbox at a time');
  if (args.workers !== undefined) bad('--workers', 'one campaign runs one sandbox at a time');
  if (args.replay !== undefined) bad('--replay', 'replay the counterexample with kreplay replay, or record it again with kreplay conform');
}

/**
 * `kreplay fuzz --against-kernel` (docs/fuzzing.md, Against the kernel): the campaign of
 * src/fuzz/against-kernel.ts with the fuzz command's seed, progress, `--json` and SIGINT summary.
 * Returns the exit status: 0 no disagreement, 1 a disagreement (its counterexample written), 2
 * refused (not root, no executor, no cpuset v1, a bad flag), 3 the sandbox failed, 130 SIGINT.
 */
export async function againstKernelCommand(args: AgainstArgs): Promise<number> {
  let opts: Omit<AgainstOptions, 'onRun'>;
  let out: string;
  let release: string;
  try {
    refuseFlags(args);
    checkPrivileges();
    release = probeMachine().kernel.release;
    opts = {
      runs: boundedCountFlag('runs', args.runs, 0, 1_000_000) ?? 100,
      seed: parseSeed(args.seed),
      maxEvents: boundedCountFlag('max-events', args.maxEvents, 1, 10_000) ?? 60,
      keepGoing: args.keepGoing,
    };
    out = args.out ?? DEFAULT_OUT;
    if (args.out !== undefined) checkOutputTarget(args.out, { flag: '--out' });
  } catch (e) {
    if (e instanceof RecordRefusal) {
      process.stderr.write(`kreplay: ${WHERE}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    return reportError(e);
  }
  const campaign = `kreplay fuzz --against-kernel --seed ${opts.seed} --runs ${opts.runs} --max-events ${opts.maxEvents}${opts.keepGoing ? ' --keep-going' : ''}`;
  if (!args.json) process.stdout.write(`${WHERE}: seed ${opts.seed}, ${opts.runs} runs of up to ${opts.maxEvents} events on Linux ${release} against ${AGAINST_SEMANTICS}\n`);
  const bar = progress(opts.runs, args.json, WHERE);
  const stop = new AbortController();
  let signal: NodeJS.Signals | null = null;
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => {
    const h = (): void => {
      signal ??= sig;
      stop.abort();
    };
    process.on(sig, h);
    return () => process.off(sig, h);
  });
  const t0 = performance.now();
  let done = 0;
  let r: AgainstResult;
  try {
    r = await runAgainstKernel({ ...opts, signal: stop.signal, onRun: () => (done++, bar.tick(1)) });
  } catch (e) {
    bar.stop();
    const seconds = (performance.now() - t0) / 1000;
    if (stop.signal.aborted) {
      // the sandbox is gone: the recorder ended it before its promise failed
      if (args.json) process.stdout.write(JSON.stringify({ interrupted: true, signal, seed: opts.seed, runs: done, of: opts.runs, seconds: Number(seconds.toFixed(1)), disagreement: null, reproduce: campaign }) + '\n');
      else process.stdout.write(`${WHERE}: interrupted by ${signal} after ${done} of ${opts.runs} runs in ${seconds.toFixed(1)} s, seed ${opts.seed}; no disagreement in the runs that completed\nreproduce the campaign: ${campaign}\n`);
      return signal === 'SIGINT' ? EXIT_INTERRUPTED : 128 + (signal === 'SIGTERM' ? 15 : 1);
    }
    if (e instanceof RecordRefusal) {
      process.stderr.write(`kreplay: ${WHERE}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof RecordFailure) {
      process.stderr.write(`kreplay: ${WHERE}: the sandbox failed in run ${done} (after ${done} runs; reproduce: ${campaign}): ${e.message}\n`);
      return EXIT_INTERNAL;
    }
    return reportError(e);
  } finally {
    for (const off of handlers) off();
    bar.stop();
  }
  return report(r, args, out, campaign, (performance.now() - t0) / 1000, opts.maxEvents);
}

function report(r: AgainstResult, args: AgainstArgs, out: string, campaign: string, seconds: number, maxEvents: number): number {
  const f = r.finding;
  const replayHint = `kreplay replay ${out}`;
  if (args.json) {
    const d = f
      ? {
          run: f.run,
          index: f.shrunk.index,
          op: f.shrunk.op,
          kernel: f.shrunk.kernel,
          model: f.shrunk.model,
          reason: f.shrunk.reason,
          generated: { index: f.found.index, op: f.found.op, events: f.generatedEvents },
          events: f.recording.events.length,
          shrinks: f.shrinks,
          shrinkExecutions: f.shrinkRuns,
          out,
          reproduce: replayHint,
        }
      : null;
    const all = r.disagreements.map((x) => ({ run: x.run, index: x.disagreement.index, op: x.disagreement.op, kernel: x.disagreement.kernel, model: x.disagreement.model, reason: x.disagreement.reason }));
    process.stdout.write(JSON.stringify({ seed: r.seed, runs: r.runs, events: r.events, executions: r.executions, seconds: Number(seconds.toFixed(1)), maxEvents, semantics: AGAINST_SEMANTICS, disagreement: d, disagreements: all, sandboxFailures: r.sandboxFailures, reproduce: campaign }) + '\n');
  } else {
    const lines = [`${WHERE}: ${r.runs} runs, ${r.events} events in ${seconds.toFixed(1)} s (${r.executions} kernel executions), seed ${r.seed}`];
    if (r.disagreements.length > 1) {
      // --keep-going: every run's first disagreement, by kind (op and the kinds of the two outcomes)
      const kinds = new Map<string, { n: number; first: string }>();
      for (const x of r.disagreements) {
        const k = signature(x.disagreement);
        const e = kinds.get(k);
        if (e) e.n++;
        else kinds.set(k, { n: 1, first: `run ${x.run} ${disagreementText(x.disagreement)}` });
      }
      lines.push(`disagreements: ${r.disagreements.length} of ${r.runs} runs, ${kinds.size} kinds`);
      for (const [k, e] of kinds) lines.push(`  ${e.n} × ${k}; first: ${e.first}`);
    }
    for (const x of r.sandboxFailures) lines.push(`sandbox failed in run ${x.run}: ${x.message}`);
    if (f) {
      lines.push(`DISAGREE run ${f.run}: ${disagreementText(f.found)} (of ${f.generatedEvents} events)`);
      lines.push(`shrunk: ${disagreementText(f.shrunk)}`);
      lines.push(`counterexample: ${f.recording.events.length} events after ${f.shrinks} shrinks (${f.shrinkRuns} kernel executions), the kernel's outcomes as expect, written to ${out}; reproduce it: ${replayHint}`);
      lines.push(`reproduce the campaign: ${campaign}`);
    } else lines.push(`no disagreement between the kernel and ${AGAINST_SEMANTICS}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (!f) return r.sandboxFailures.length > 0 ? EXIT_INTERNAL : EXIT_OK;
  // the finding is printed first: a write error (exit 2) then never hides it
  try {
    const t = againstCounterexample(f, r.seed, out);
    const { events, ...header } = t;
    writeOutputAtomically(out, recordingText(header, events));
  } catch (e) {
    return Math.max(EXIT_FOUND, reportError(e));
  }
  return EXIT_FOUND;
}
