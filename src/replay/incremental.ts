import { INVARIANTS, type Invariant } from '../invariants/index.js';
import { isOk, type Outcome } from '../reducer/outcome.js';
import type { Event } from '../trace/schema-types.js';
import { type Kernel, step } from './kernel.js';
import type { IndexedViolation } from './replay.js';

/**
 * Incremental invariant checking (issue 6): the same violations as checking every invariant after
 * every event (SPEC 9), at a fraction of the cost.
 *
 * Every invariant of SPEC 9 is a scan of the whole state, so checking all of them after every event
 * costs far more than the event. Instead, the replay is cut into SEGMENTS of `fullEvery` events:
 * - a segment starts from a snapshot of the state (the previous segment ended clean);
 * - after each event, only the transition invariants (those with `before`, e.g. orphan-stopped)
 *   whose operations the event may affect are checked, before and after, as full checking does;
 * - every `window` events, the invariants that the events of that window may have affected
 *   (OP_EFFECTS, by operation and outcome) are checked on the current state;
 * - at the end of the segment, every invariant is checked, and a new snapshot taken.
 * When any of these checks finds a violation, the segment is REPLAYED from its snapshot with every
 * invariant checked after every event, and checking stays full from then on: the report is then
 * exactly what full checking reports (same indices, order and messages), since replay is
 * deterministic (SPEC 2). What can be missed is only a violation that appears and disappears again
 * between two checks that would have seen it, before any violation was found.
 *
 * Memory is bounded: one snapshot and at most `fullEvery` events.
 */

export interface IncrementalOptions {
  /** Events between two checks of the invariants the window's events may have affected [1024]. */
  window?: number;
  /** Events per segment: every invariant is checked, and the state snapshotted, this often [8192]. */
  fullEvery?: number;
  /** Applies one event (default `step`); tests pass one that also corrupts the state on purpose. */
  apply?: (k: Kernel, ev: Event) => Outcome;
}

type Op = Event['op'];

/** Ops that create, kill or reap tasks. */
const LIFE: readonly Op[] = ['fork', 'exit', 'wait', 'kill', 'ptrace', 'node_down', 'vps_create', 'vps_enter', 'vps_restore'];
/** Ops that can end a live task (exit processing runs): what transition invariants such as orphan-stopped watch. */
const DEATH: readonly Op[] = ['exit', 'kill', 'ptrace', 'node_down'];
const GROUPS: readonly Op[] = ['setpgid', 'setsid'];
/** Ops that change hierarchies, cgroups or subsystem slots. */
const CGROUP_STRUCTURE: readonly Op[] = ['mkdir', 'rmdir', 'mount', 'umount', 'register_subsys', 'load_subsys', 'unload_subsys'];
/** Ops that move live tasks between cgroups (hotplug does in 2009). */
const MEMBERSHIP: readonly Op[] = ['attach', 'write', 'cpu_down', 'cpu_up', 'mem_down', 'mem_up'];
/** Ops that change cpuset cpus, mems or flags. */
const CPUSET: readonly Op[] = ['write', ...CGROUP_STRUCTURE, 'cpu_down', 'cpu_up', 'mem_down', 'mem_up'];

/**
 * Invariant id -> the ops whose successful events may change its result. An invariant missing here
 * (one added later) is treated as affected by every op; so is every invariant for an op missing
 * from all lists. Ops that change no invariant's input: the getters, `read`, `exec` and `signal`
 * (dispositions), `inject` (the queue), `vps_checkpoint` (images).
 */
export const OP_EFFECTS: Readonly<Record<string, readonly Op[]>> = {
  'pid-unique': [...LIFE, ...GROUPS],
  'task-tree': LIFE,
  'pgrp-session': [...LIFE, ...GROUPS],
  'ptrace-links': LIFE,
  'orphan-stopped': DEATH,
  cluster: [...LIFE, 'migrate', 'node_up'],
  'cgroup-tree': [...LIFE, ...CGROUP_STRUCTURE, ...MEMBERSHIP],
  'css-set': [...LIFE, ...CGROUP_STRUCTURE, ...MEMBERSHIP],
  'subsys-slots': CGROUP_STRUCTURE,
  'cpuset-subset': CPUSET,
  'cpuset-exclusive': CPUSET,
  'cpuset-nonempty': [...LIFE, ...CPUSET, ...MEMBERSHIP],
  'vpid-bijection': [...LIFE, ...GROUPS],
};

/**
 * SPEC 1.4: a failed or blocked event changes nothing, except that a fork that fails after
 * alloc_vpid switched its VPS to sparse mode leaves it sparse (seed 004). Forks made by vps_* count.
 */
const FAILED_EFFECTS: Readonly<Partial<Record<Op, readonly string[]>>> = {
  fork: ['vpid-bijection'],
  vps_create: ['vpid-bijection'],
  vps_enter: ['vpid-bijection'],
  vps_restore: ['vpid-bijection'],
};

const KNOWN_OPS = new Set<string>(Object.values(OP_EFFECTS).flat());
const READ_ONLY_OPS = new Set<Op>(['getpid', 'getppid', 'getpgid', 'getsid', 'read', 'exec', 'signal', 'inject', 'vps_checkpoint']);

/** Whether the effect table classifies `op` (an unclassified op is assumed to affect every invariant). */
export const isClassifiedOp = (op: string): boolean => KNOWN_OPS.has(op) || READ_ONLY_OPS.has(op as Op);

/** For each op, the indices (into `invs`) of the invariants its successful events may affect. */
function effectTable(invs: readonly Invariant[]): Map<string, number[]> {
  const table = new Map<string, number[]>();
  const ops = new Set<string>([...KNOWN_OPS, ...READ_ONLY_OPS]);
  for (const op of ops) {
    table.set(op, invs.flatMap((inv, i) => (OP_EFFECTS[inv.id] === undefined || (OP_EFFECTS[inv.id] as readonly string[]).includes(op) ? [i] : [])));
  }
  return table;
}

const cloneKernel = (k: Kernel): Kernel => ({ s: structuredClone(k.s), v: k.v });

export class IncrementalChecker {
  /** Violations found so far, in the order full checking reports them. */
  readonly violations: IndexedViolation[] = [];
  private readonly invs: readonly Invariant[];
  private readonly window: number;
  private readonly fullEvery: number;
  private readonly apply: (k: Kernel, ev: Event) => Outcome;
  private readonly effects: Map<string, number[]>;
  private readonly failedEffects: Map<string, number[]>;
  /** Per op, the transition invariants to check around its events. */
  private readonly watches: Map<string, number[]>;
  private readonly all: number[];
  private readonly transitions: number[];
  /** Invariants over one state (no `before`): what window and segment checks run. */
  private readonly states: number[];
  private readonly dirty: boolean[];
  private readonly before: unknown[];
  /** Once a violation is found, every invariant is checked after every event. */
  private full = false;
  private index = 0;
  private snapshot: Kernel;
  private snapshotIndex = 0;
  private segment: Event[] = [];

  constructor(readonly kernel: Kernel, invariants: readonly Invariant[] = INVARIANTS, opts: IncrementalOptions = {}) {
    this.invs = invariants;
    this.fullEvery = Math.max(1, opts.fullEvery ?? 8192);
    this.window = Math.min(this.fullEvery, Math.max(1, opts.window ?? 1024));
    this.apply = opts.apply ?? step;
    this.effects = effectTable(invariants);
    this.all = invariants.map((_, i) => i);
    this.transitions = this.all.filter((i) => (invariants[i] as Invariant).before !== undefined);
    this.states = this.all.filter((i) => (invariants[i] as Invariant).before === undefined);
    this.watches = new Map([...this.effects].map(([op, idx]) => [op, idx.filter((i) => this.transitions.includes(i))]));
    this.failedEffects = new Map(
      Object.entries(FAILED_EFFECTS).map(([op, ids]) => [op, this.all.filter((i) => (ids as readonly string[]).includes((invariants[i] as Invariant).id))]),
    );
    this.dirty = invariants.map(() => false);
    this.before = new Array(invariants.length);
    this.snapshot = cloneKernel(kernel);
    this.checkAll(0);
  }

  /** Applies the next event (index = events so far + 1) and checks what is due; returns its outcome. */
  step(ev: Event): Outcome {
    const index = ++this.index;
    if (this.full) return this.fullStep(this.kernel, ev, index);
    this.segment.push(ev);
    const watched = this.watches.get(ev.op) ?? this.transitions;
    for (const i of watched) this.before[i] = (this.invs[i] as Invariant).before?.(this.kernel.s, this.kernel.v);
    const outcome = this.apply(this.kernel, ev);
    for (const i of this.touched(ev, outcome)) this.dirty[i] = true;
    if (watched.length > 0 && this.found(watched)) return outcome;
    if (index - this.snapshotIndex >= this.fullEvery) this.endSegment();
    else if (index % this.window === 0) this.checkDirty();
    return outcome;
  }

  /** After the last event: every invariant on the final state (and a replay if one fails). */
  finish(): void {
    if (this.full || this.index === this.snapshotIndex) return;
    if (this.found(this.states)) return;
    this.dirty.fill(false);
  }

  /** The invariants the event may have affected, given its outcome (SPEC 1.4 for failures). */
  private touched(ev: Event, outcome: Outcome): readonly number[] {
    if (!isOk(outcome)) return this.failedEffects.get(ev.op) ?? [];
    return this.effects.get(ev.op) ?? this.all;
  }

  private checkDirty(): void {
    const due = this.states.filter((i) => this.dirty[i]);
    if (due.length > 0 && this.found(due)) return;
    this.dirty.fill(false);
  }

  /** Transition invariants were checked around each event that may affect them; the rest now. */
  private endSegment(): void {
    if (this.found(this.states)) return;
    this.dirty.fill(false);
    this.snapshot = cloneKernel(this.kernel);
    this.snapshotIndex = this.index;
    this.segment = [];
  }

  /** Runs invariants `which` on the current state; any violation switches to full checking. */
  private found(which: readonly number[]): boolean {
    for (const i of which) {
      const inv = this.invs[i] as Invariant;
      if (inv.check(this.kernel.s, this.kernel.v, inv.before ? this.before[i] : undefined).length > 0) {
        this.replaySegment();
        return true;
      }
    }
    return false;
  }

  /**
   * Replays the current segment from its snapshot with full checking, so the violations are reported
   * at the events that caused them; from now on every event is fully checked.
   */
  private replaySegment(): void {
    this.full = true;
    const k = cloneKernel(this.snapshot);
    this.segment.forEach((ev, j) => this.fullStep(k, ev, this.snapshotIndex + j + 1));
    this.segment = [];
  }

  /** What full checking does for one event: every `before`, the event, every check. */
  private fullStep(k: Kernel, ev: Event, index: number): Outcome {
    for (const i of this.transitions) this.before[i] = (this.invs[i] as Invariant).before?.(k.s, k.v);
    const outcome = this.apply(k, ev);
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
