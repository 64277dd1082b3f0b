import fc from 'fast-check';
import { planEvent, type PlanState } from '../record/plan.js';
import { outcomeText } from '../record/conform.js';
import { recordTrace, type Recording } from '../record/record.js';
import { RecordFailure } from '../record/refusal.js';
import { probeMachine, RECORDED_SEMANTICS } from '../record/machine.js';
import type { Outcome } from '../reducer/outcome.js';
import { explainOutcome } from '../replay/explain.js';
import { bootKernel, step } from '../replay/kernel.js';
import { replayEvents } from '../replay/replay.js';
import type { Event, Expect, TraceHeader } from '../trace/schema-types.js';
import type { GenOptions } from '../workload/gen.js';
import { concretize, OpTable } from '../workload/table.js';
import { type Choice, choicesArb } from './choice.js';
import { kernelHazard } from './kernel-hazards.js';
import { swarmTable } from './presets.js';

/**
 * Differential fuzzing against the live kernel (`kreplay fuzz --against-kernel`, docs/fuzzing.md
 * "Against the kernel"): each run is a generated trace of events the recorder can run
 * (src/record/plan.ts decides, event by event: the generator keeps only what it accepts), run
 * once on the model under `linux-6` and once on the kernel through `kreplay record`'s sandbox.
 * The first event whose outcomes differ is the disagreement; delta debugging over the events
 * shrinks it, every step executed again on the kernel, and the counterexample is the kernel's
 * recording of the shrunk trace (the kernel's outcomes as `expect`).
 */

/** The version every run is replayed under: the one `record` writes into its recordings. */
export const AGAINST_SEMANTICS = RECORDED_SEMANTICS;

/** The hierarchy name every run mounts cpuset as (its first event). */
const HIERARCHY = 'h1';

export interface AgainstOptions {
  runs: number;
  seed: number;
  /** Recordable events per run at most (the mount that opens every run included). */
  maxEvents: number;
  /** Percentage of deliberately wrong events [20]. */
  badPercent?: number;
  /**
   * Run every run even after a disagreement, collecting the first disagreement of each (the
   * campaign's figures); only the first one found is shrunk [false: stop at the first].
   */
  keepGoing?: boolean;
  /** Kernel executions a shrink may spend at most [400]. */
  shrinkBudget?: number;
  /** Aborting ends the running sandbox and the campaign (RecordFailure from the recorder). */
  signal?: AbortSignal;
  /** Called after each run. */
  onRun?: (run: number, events: number) => void;
  /** Called once per executor the campaign starts (tests follow its pid). */
  onExecutor?: (pid: number) => void;
}

/** One event where the kernel and the model answered differently. */
export interface Disagreement {
  /** 1-based index of the event in its trace. */
  index: number;
  op: Event['op'];
  kernel: Expect;
  model: Outcome;
  /** Why the model answered as it did (src/reducer/reasons.ts), when it gave a reason. */
  reason: string | null;
}

export interface AgainstFinding {
  /** The campaign run (0-based) that disagreed. */
  run: number;
  /** The first disagreement of the run as generated, and its events count. */
  found: Disagreement;
  generatedEvents: number;
  /** The shrunk trace's first disagreement, and the kernel's recording of that trace. */
  shrunk: Disagreement;
  recording: Recording;
  /** Kernel executions the shrink spent, and how many of them kept the disagreement. */
  shrinkRuns: number;
  shrinks: number;
}

export interface AgainstResult {
  seed: number;
  runs: number;
  events: number;
  /** Runs whose events the kernel ran, executions while shrinking included. */
  executions: number;
  finding: AgainstFinding | null;
  /** The first disagreement of every run that had one, in run order (one at most without keepGoing). */
  disagreements: { run: number; disagreement: Disagreement }[];
  /** With keepGoing, the runs whose sandbox failed (the executor's message), in run order; without it a failure ends the campaign. */
  sandboxFailures: { run: number; message: string }[];
}

/** What fast-check generates for one run: the choices, the swarm mask and whether the run is cgroup-focused. */
interface Case {
  choices: Choice[];
  swarm: number;
  focus: boolean;
}

/** The machine's model header: what the probe recording says, under linux-6. */
export type MachineHeader = Pick<TraceHeader, 'semantics' | 'config' | 'kernel'>;

/** A run's seed from the campaign's: each run is reproducible alone. */
export const runSeed = (seed: number, run: number): number => (seed ^ Math.imul(run + 1, 0x9e3779b1)) | 0;

export class AgainstKernel {
  private readonly full = new OpTable({ faults: false });
  private readonly focused = new OpTable({ faults: false, cgroupFocus: true });
  private readonly gen: GenOptions;
  private readonly focusGen: GenOptions;
  executions = 0;

  constructor(
    readonly header: MachineHeader,
    private readonly noprefix: boolean,
    private readonly opts: Pick<AgainstOptions, 'maxEvents' | 'badPercent' | 'signal' | 'onExecutor' | 'shrinkBudget'>,
  ) {
    const badPercent = opts.badPercent ?? 20;
    this.gen = { badPercent, faults: false, sharedSubset: false };
    this.focusGen = { badPercent, faults: false, sharedSubset: false, cgroupFocus: true };
  }

  private caseOf(seed: number): Case {
    const total = Math.max(this.full.total, this.focused.total);
    // more choices than events: a choice the recorder cannot run (a cluster op, an exit of task 1) is dropped
    const arb = fc.record({ choices: choicesArb(total, this.opts.maxEvents * 3), swarm: fc.oneof(fc.constant(0), fc.nat(0x7fffffff)), focus: fc.boolean() });
    return fc.sample(arb, { seed, numRuns: 1 })[0] as Case;
  }

  /**
   * The events of one run: a mount of cpuset alone (what the recorder maps onto the kernel's
   * hierarchy), then one event per choice, made against the model's state by the op registry's
   * generators; an event the recorder's plan refuses, or a kernel hazard (kernelHazard), is dropped
   * before the model sees it.
   */
  generate(seed: number): Event[] {
    const c = this.caseOf(seed);
    const k = bootKernel(this.header, AGAINST_SEMANTICS);
    const plan: PlanState = { noprefix: this.noprefix, hierarchy: null };
    const events: Event[] = [];
    const take = (ev: Event): void => {
      if (kernelHazard(k.s, ev) !== null || 'refuse' in planEvent(ev, plan)) return;
      step(k, ev);
      events.push(ev);
    };
    take({ op: 'mount', by: 1, hierarchy: HIERARCHY, subsystems: ['cpuset'], ...(this.noprefix ? { noprefix: true } : {}) });
    const [table, gen] = c.focus ? [this.focused, this.focusGen] : [swarmTable(this.full, c.swarm), this.gen];
    for (const choice of c.choices) {
      if (events.length >= this.opts.maxEvents) break;
      take(concretize(table, k.s, k.v, choice, gen));
    }
    return events;
  }

  /** Runs `events` on the kernel (a sandbox of its own) and replays the recording under linux-6. */
  async execute(events: readonly Event[]): Promise<{ recording: Recording; disagreement: Disagreement | null }> {
    this.executions++;
    const recording = await recordTrace(
      { header: { kreplay: 1 }, events: [...events] },
      { ...(this.opts.signal ? { signal: this.opts.signal } : {}), ...(this.opts.onExecutor ? { onExecutor: this.opts.onExecutor } : {}) },
    );
    const r = replayEvents(this.header, recording.events, { semantics: AGAINST_SEMANTICS, invariants: false });
    const d = r.divergences[0];
    if (!d) return { recording, disagreement: null };
    const why = explainOutcome(d.actual);
    return { recording, disagreement: { index: d.index, op: d.op, kernel: d.expected, model: d.actual, reason: why ? why.text : null } };
  }

  /** Whether `events` can be recorded as they are (a shrink step may drop the mount, or leave a path unmapped). */
  recordable(events: readonly Event[]): boolean {
    const plan: PlanState = { noprefix: this.noprefix, hierarchy: null };
    return events.every((ev) => !('refuse' in planEvent(ev, plan)));
  }

  /**
   * Delta debugging (Zeller's ddmin) over the events up to the disagreement: a candidate keeps
   * the disagreement when the kernel, run again, and the model still differ on the same op with
   * the same kinds of outcome. Ends at a trace from which no single event can be dropped, or when
   * the budget of kernel executions is spent.
   */
  async shrink(events: readonly Event[], first: Disagreement): Promise<{ events: Event[]; disagreement: Disagreement; recording: Recording | null; runs: number; shrinks: number }> {
    const budget = this.opts.shrinkBudget ?? 400;
    const sig = signature(first);
    let cur = events.slice(0, first.index);
    let best = first;
    const kept: { recording: Recording | null } = { recording: null };
    let runs = 0;
    let shrinks = 0;
    const keeps = async (cand: Event[]): Promise<boolean> => {
      if (!this.recordable(cand)) return false;
      runs++;
      const r = await this.execute(cand);
      if (!r.disagreement || signature(r.disagreement) !== sig) return false;
      cur = cand.slice(0, r.disagreement.index);
      best = r.disagreement;
      kept.recording = { ...r.recording, events: r.recording.events.slice(0, r.disagreement.index), sourceIndex: r.recording.sourceIndex.slice(0, r.disagreement.index) };
      shrinks++;
      return true;
    };
    let n = 2;
    while (cur.length >= 2 && runs < budget) {
      const size = Math.ceil(cur.length / n);
      let reduced = false;
      for (let start = 0; start < cur.length && runs < budget; start += size) {
        // the disagreeing event itself stays: it is last, and what is searched for is its cause
        const end = Math.min(start + size, cur.length - 1);
        if (end <= start) continue;
        if (await keeps([...cur.slice(0, start), ...cur.slice(end)])) {
          reduced = true;
          break;
        }
      }
      if (reduced) n = Math.max(n - 1, 2);
      else if (size <= 1) break;
      else n = Math.min(cur.length, n * 2);
    }
    return { events: cur, disagreement: best, recording: kept.recording, runs, shrinks };
  }
}

/** What must stay the same while shrinking: the op and the kinds of the two outcomes (`getpid: ret vs ESRCH`). */
export function signature(d: Disagreement): string {
  const kind = (o: Expect | Outcome): string => ('err' in o && o.err !== undefined ? o.err : 'blocked' in o && o.blocked ? 'blocked' : 'ret');
  return `${d.op}: ${kind(d.kernel)} vs ${kind(d.model)}`;
}

/** "event N (op): kernel said X, model says Y (reason)". */
export function disagreementText(d: Disagreement): string {
  return `event ${d.index} (${d.op}): kernel said ${outcomeText(d.kernel)}, model says ${outcomeText(d.model)}${d.reason ? ` (${d.reason})` : ''}`;
}

/**
 * A campaign: `runs` generated traces, each run on the kernel and the model; stops at the first
 * disagreement and shrinks it. `header` is the machine's (a probe recording of no events gives
 * it, so that the model boots with this machine's cpus, mems and MAX_NUMNODES).
 */
export async function runAgainstKernel(opts: AgainstOptions): Promise<AgainstResult> {
  const probe = await recordTrace({ header: { kreplay: 1 }, events: [] }, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onExecutor ? { onExecutor: opts.onExecutor } : {}) });
  // the generated mount says noprefix as the machine's cpuset hierarchy does
  const noprefix = probeMachine().noprefix;
  const ak = new AgainstKernel({ semantics: AGAINST_SEMANTICS, config: probe.header.config, kernel: probe.header.kernel }, noprefix, opts);
  let events = 0;
  let runs = 0;
  const disagreements: AgainstResult['disagreements'] = [];
  let first: { run: number; events: Event[]; found: Disagreement; recording: Recording } | null = null;
  const sandboxFailures: AgainstResult['sandboxFailures'] = [];
  for (let run = 0; run < opts.runs; run++) {
    const evs = ak.generate(runSeed(opts.seed, run));
    let r: Awaited<ReturnType<AgainstKernel['execute']>>;
    try {
      r = await ak.execute(evs);
    } catch (e) {
      // --keep-going: a run whose sandbox broke is counted and the campaign goes on
      if (!opts.keepGoing || !(e instanceof RecordFailure) || opts.signal?.aborted) throw e;
      sandboxFailures.push({ run, message: e.message });
      events += evs.length;
      runs++;
      opts.onRun?.(run, evs.length);
      continue;
    }
    events += evs.length;
    runs++;
    opts.onRun?.(run, evs.length);
    if (r.disagreement) {
      disagreements.push({ run, disagreement: r.disagreement });
      first ??= { run, events: evs, found: r.disagreement, recording: r.recording };
      if (!opts.keepGoing) break;
    }
  }
  if (first === null) return { seed: opts.seed, runs, events, executions: ak.executions, finding: null, disagreements, sandboxFailures };
  const s = await ak.shrink(first.events, first.found);
  const cut = first.found.index;
  const recording = s.recording ?? { ...first.recording, events: first.recording.events.slice(0, cut), sourceIndex: first.recording.sourceIndex.slice(0, cut) };
  return {
    seed: opts.seed,
    runs,
    events,
    executions: ak.executions,
    finding: { run: first.run, found: first.found, generatedEvents: first.events.length, shrunk: s.disagreement, recording, shrinkRuns: s.runs, shrinks: s.shrinks },
    disagreements,
    sandboxFailures,
  };
}


/**
 * The counterexample as a trace: the kernel's recording of the shrunk events (the kernel's
 * outcomes as `expect`), under the recording's header (`semantics: linux-6`, this machine's
 * config and kernel), with a note on the disagreeing event and one in the header saying how it
 * was found. `kreplay replay` of it exits 1 while the model disagrees.
 */
export function againstCounterexample(f: AgainstFinding, seed: number, out: string): TraceHeader & { events: Event[] } {
  const header: TraceHeader = {
    ...f.recording.header,
    note: `kreplay fuzz --against-kernel counterexample (seed ${seed}, run ${f.run}, ${f.shrinks} shrinks): ${disagreementText(f.shrunk)}. Reproduce: kreplay replay ${out}`,
  };
  const events = f.recording.events.map((ev, i) => (i + 1 === f.shrunk.index ? ({ ...ev, note: `kernel said ${outcomeText(f.shrunk.kernel)}, model says ${outcomeText(f.shrunk.model)}${f.shrunk.reason ? ` (${f.shrunk.reason})` : ''}` } as Event) : ev));
  return { ...header, events };
}
