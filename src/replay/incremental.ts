import { INVARIANTS, type Invariant } from '../invariants/index.js';
import { clearTouched, dedupeTouched, dropKept, emptyTouched, type Touched, untouched } from '../invariants/touched.js';
import { isOk, type Outcome } from '../reducer/outcome.js';
import { NO_RECORD, type Recorder } from '../reducer/record.js';
import { opsWhere } from '../reducer/registry.js';
import type { Event } from '../trace/schema-types.js';
import { cloneKernel, type Kernel, step } from './kernel.js';
import { TouchRecorder } from './record.js';
import type { IndexedViolation } from './violation.js';

/**
 * Incremental invariant checking (issue 6): exactly the violations of checking every invariant
 * after every event (reference: Invariants and postconditions), at a cost proportional to the event rather than to the state.
 *
 * - After EVERY event, each invariant runs its scoped check (`Invariant.checkTouched`) on what the
 *   event touched: the model reports the tasks, numbers, VPSes, cgroups and settings it changes at
 *   its choke points through the `Recorder` in its context (src/reducer/record.ts), which this
 *   checker implements (src/replay/record.ts). The few ops that change state wholesale (FULL_OPS)
 *   get every invariant in full instead; a wholesale change the model reports under another op
 *   makes the checker verify the segment in full.
 * - The replay is cut into SEGMENTS of `fullEvery` events; each starts from a snapshot of the
 *   state, and at its end every invariant is checked in full (a safety net for a change made
 *   outside the choke points).
 * - When any check finds a violation, the segment is replayed from its snapshot with every
 *   invariant checked after every event, and checking stays full from then on, so the report is
 *   exactly full checking's (same indices, order and messages; replay is deterministic, reference: Determinism and the state).
 *
 * So a violation that appears and heals again is reported whenever it is in a subject the event
 * touched; only one made outside the choke points (a model bug the recording misses) can still go
 * unseen if it heals before the segment's end.
 */

export interface IncrementalOptions {
  /** Events per segment: every invariant is checked in full, and the state snapshotted, this often [4096]. */
  fullEvery?: number;
  /**
   * Applies one event (default `step`), reporting its changes to `record`; tests pass one that
   * also corrupts the state on purpose.
   */
  apply?: (k: Kernel, ev: Event, record: Recorder) => Outcome;
  /**
   * Builds the checker's starting state anew (e.g. `bootKernel` of the same header; it must equal
   * the kernel the checker is given): the first segment is then replayed from it when a check
   * fails, instead of from a copy taken up front. For short runs (the fuzzer's, one segment) that
   * seldom fail, this saves a copy of the state per run.
   */
  restart?: () => Kernel;
  /**
   * The starting state is known to hold every invariant: one equal to it was checked in full
   * before (the fuzzer boots one of a few headers from a template, src/fuzz/boots.ts), so it is
   * not checked again. Whatever that check found was reported then.
   */
  startChecked?: boolean;
}

type Op = Event['op'];

/**
 * Ops that change state wholesale (hierarchies, subsystems, hotplug moves, nodes, a restored VPS):
 * every invariant is checked in full after them; reference: Outcomes makes a failed one change nothing.
 * Derived from the op registry (each op's `effect`, src/reducer/op.ts), as are the sets below.
 */
export const FULL_OPS: ReadonlySet<Op> = opsWhere((d) => d.effect === 'wholesale');

/** Ops that can run exit processing: the transition invariants (`before`) are captured around them. */
export const DEATH_OPS: ReadonlySet<Op> = opsWhere((d) => d.exits || d.effect === 'wholesale');

/** Ops that change no invariant's input: the getters, `read`, `exec` and `signal` (dispositions), `inject` (the queue), `vps_checkpoint` (images). */
const READ_ONLY_OPS: ReadonlySet<Op> = opsWhere((d) => d.effect === 'none');

/**
 * reference: Outcomes: a failed or blocked event changes nothing, except that an op that allocates pids and
 * fails after alloc_vpid switched its VPS to sparse mode leaves it sparse (seed 004): the
 * invariants that read a VPS's numbers.
 */
const AFTER_FAILED_ALLOCATION: readonly string[] = ['vpid-bijection'];
const FAILED_EFFECTS: ReadonlyMap<Op, readonly string[]> = new Map([...opsWhere((d) => d.allocates)].map((op) => [op, AFTER_FAILED_ALLOCATION]));

/** An invariant without a scoped check is checked in full after every op that may change state. */
const affects = (_inv: Invariant, op: Op): boolean => !READ_ONLY_OPS.has(op);

/** Which of a list's invariants run when, by index into the list. */
interface Plan {
  all: readonly number[];
  /** Transition invariants (with `before`). */
  transitions: readonly number[];
  /** Invariants over one state (no `before`): what segment ends check. */
  states: readonly number[];
  /** Per op that fails, the invariants it may still affect (reference: Outcomes). */
  failedEffects: ReadonlyMap<string, readonly number[]>;
}

/** Plans by (readonly) invariant list: the fuzzer makes a checker per run, always over INVARIANTS. */
const plans = new WeakMap<readonly Invariant[], Plan>();

function planFor(invariants: readonly Invariant[]): Plan {
  let plan = plans.get(invariants);
  if (plan === undefined) {
    const all = invariants.map((_, i) => i);
    plan = {
      all,
      transitions: all.filter((i) => (invariants[i] as Invariant).before !== undefined),
      states: all.filter((i) => (invariants[i] as Invariant).before === undefined),
      failedEffects: new Map(
        [...FAILED_EFFECTS].map(([op, ids]) => [op, all.filter((i) => ids.includes((invariants[i] as Invariant).id))]),
      ),
    };
    plans.set(invariants, plan);
  }
  return plan;
}

export class IncrementalChecker {
  /** Violations found so far, in the order full checking reports them. */
  readonly violations: IndexedViolation[] = [];
  private readonly invs: readonly Invariant[];
  private readonly fullEvery: number;
  private readonly apply: (k: Kernel, ev: Event, record: Recorder) => Outcome;
  private readonly all: readonly number[];
  private readonly transitions: readonly number[];
  private readonly states: readonly number[];
  private readonly failedEffects: ReadonlyMap<string, readonly number[]>;
  private readonly before: unknown[];
  private readonly touched: Touched = emptyTouched();
  /** Collects what the model reports about each event into `touched`. */
  private readonly recorder: TouchRecorder;
  /** Once a violation is found, every invariant is checked after every event. */
  private full = false;
  private index = 0;
  /** The state after event `snapshotIndex`; null for the starting state when `restart` builds it. */
  private snapshot: Kernel | null;
  private readonly restart: (() => Kernel) | null;
  private snapshotIndex = 0;
  private segment: Event[] = [];

  constructor(readonly kernel: Kernel, invariants: readonly Invariant[] = INVARIANTS, opts: IncrementalOptions = {}) {
    this.invs = invariants;
    this.fullEvery = Math.max(1, opts.fullEvery ?? 4096);
    this.apply = opts.apply ?? step;
    ({ all: this.all, transitions: this.transitions, states: this.states, failedEffects: this.failedEffects } = planFor(invariants));
    this.before = new Array(invariants.length);
    this.restart = opts.restart ?? null;
    this.recorder = new TouchRecorder(kernel.s, this.touched);
    this.snapshot = this.restart ? null : cloneKernel(kernel);
    if (opts.startChecked !== true) this.checkAll(0);
  }

  /** Applies the next event (index = events so far + 1), checks what it touched; returns its outcome. */
  step(ev: Event): Outcome {
    const index = ++this.index;
    if (this.full) return this.fullStep(this.kernel, ev, index);
    this.segment.push(ev);
    const k = this.kernel;
    const wholesale = FULL_OPS.has(ev.op);
    const dying = DEATH_OPS.has(ev.op);
    if (dying) {
      for (const i of this.transitions) {
        const inv = this.invs[i] as Invariant;
        if (wholesale || !inv.recordsBefore) this.before[i] = inv.before?.(k.s, k.v);
      }
    }
    const touched = this.touched;
    clearTouched(touched);
    touched.all = wholesale;
    // Wholesale ops (mount, umount, load, unload, hotplug, restore) may change what css_sets link and cpusets allow.
    if (wholesale) dropKept(touched);
    touched.cssSetIdsFrom = k.s.cg.nextCssSetId;
    const recorder = this.recorder;
    recorder.s = k.s;
    const outcome = this.apply(k, ev, recorder);
    // A wholesale change under an op not known for one: nothing captured its `before`s; verify the segment.
    const found = wholesale ? this.checkWholesale(ev, outcome) : touched.all || this.checkScoped(ev, dying);
    if (found) this.replaySegment();
    else if (index - this.snapshotIndex >= this.fullEvery) this.endSegment();
    return outcome;
  }

  /** After the last event: every invariant on the final state (and a replay if one fails). */
  finish(): void {
    if (this.full || this.index === this.snapshotIndex) return;
    if (this.fails(this.states)) this.replaySegment();
  }

  /** A FULL_OPS event: every invariant in full, or after a failure only what reference: Outcomes leaves. */
  private checkWholesale(ev: Event, outcome: Outcome): boolean {
    const which = isOk(outcome) ? this.all : (this.failedEffects.get(ev.op) ?? []);
    return this.fails(which);
  }

  /** The scoped check of every invariant on what the event touched. */
  private checkScoped(ev: Event, dying: boolean): boolean {
    const t = this.touched;
    // Exit processing outside DEATH_OPS: the transition invariants had no `before`; verify the segment.
    if (t.exited && !dying && this.transitions.length > 0) return true;
    // Most read-only and failed events touch nothing: no scoped check has a subject.
    const idle = untouched(t);
    if (!idle) dedupeTouched(t);
    const { s, v } = this.kernel;
    for (let i = 0; i < this.invs.length; i++) {
      const inv = this.invs[i] as Invariant;
      const before = inv.before ? this.before[i] : undefined;
      if (inv.before && !dying) continue;
      if (inv.checkTouched && idle) continue;
      const found = inv.checkTouched ? inv.checkTouched(s, v, t, before) : affects(inv, ev.op) ? inv.check(s, v, before) : [];
      if (found.length > 0) return true;
    }
    return false;
  }

  /** Transition invariants were checked around each event; the rest now, and a new snapshot. */
  private endSegment(): void {
    // What the scoped checks keep (refcount sums, cpuset answers) is rebuilt from the state each segment checks in full.
    dropKept(this.touched);
    if (this.fails(this.states)) {
      this.replaySegment();
      return;
    }
    this.snapshot = cloneKernel(this.kernel);
    this.snapshotIndex = this.index;
    this.segment = [];
  }

  /** Whether any of invariants `which` fails on the current state (`before` as captured, or none). */
  private fails(which: readonly number[]): boolean {
    const { s, v } = this.kernel;
    for (const i of which) {
      const inv = this.invs[i] as Invariant;
      if (inv.check(s, v, inv.before ? this.before[i] : undefined).length > 0) return true;
    }
    return false;
  }

  /**
   * Replays the current segment from its snapshot with full checking, so violations are reported
   * at the events that caused them. When it finds some, every later event is fully checked too;
   * when it finds none (a check with nothing to report in full), incremental checking resumes.
   */
  private replaySegment(): void {
    // The event that found something was not checked to the end: its css_sets were not settled.
    dropKept(this.touched);
    const k = this.snapshot ? cloneKernel(this.snapshot) : (this.restart as () => Kernel)();
    const n = this.violations.length;
    this.segment.forEach((ev, j) => this.fullStep(k, ev, this.snapshotIndex + j + 1));
    this.segment = [];
    if (this.violations.length > n) {
      this.full = true;
      return;
    }
    this.snapshot = k;
    this.snapshotIndex = this.index;
  }

  /** What full checking does for one event: every `before`, the event, every check. */
  private fullStep(k: Kernel, ev: Event, index: number): Outcome {
    for (const i of this.transitions) this.before[i] = (this.invs[i] as Invariant).before?.(k.s, k.v);
    const outcome = this.apply(k, ev, NO_RECORD);
    this.checkAllOn(k, index);
    return outcome;
  }

  /** Boot state (index 0): always fully checked; a violation there means full checking throughout. */
  private checkAll(index: number): void {
    const n = this.violations.length;
    this.checkAllOn(this.kernel, index);
    if (this.violations.length > n) this.full = true;
  }

  private checkAllOn(k: Kernel, index: number): void {
    for (let i = 0; i < this.invs.length; i++) {
      const inv = this.invs[i] as Invariant;
      for (const v of inv.check(k.s, k.v, inv.before ? this.before[i] : undefined)) this.violations.push({ index, ...v });
    }
  }
}
