import { INVARIANTS, type Invariant } from '../invariants/index.js';
import { PostChecker } from '../invariants/postconditions.js';
import { IncrementalChecker } from '../replay/incremental.js';
import { jsonEqual } from '../replay/expect.js';
import type { Outcome } from '../reducer/outcome.js';
import { cloneKernel, type Kernel, step } from '../replay/kernel.js';
import type { Event } from '../trace/schema-types.js';
import { atomicityViolation } from './atomicity.js';
import { bootTemplate } from './boots.js';
import { callbackOrderViolation } from './callback-order.js';
import type { Choice } from './choice.js';
import type { Coverage } from './coverage.js';
import type { Failure } from './failure.js';
import type { GenOptions } from '../workload/gen.js';
import { concretize, type OpTable } from '../workload/table.js';
import type { FuzzHeader } from './header.js';
import { checkTraceProperties, MOVES, type PlacedStart, type PropertyChecks, secondReplayOutcome, sharedShadowOutcomeFailure } from './properties.js';

/** What one run checks after every event. */
export interface EventChecks {
  invariants: boolean;
  atomicity: boolean;
  /** `callback-order` on runs booted with traceCallbacks [true]. */
  callbackOrder?: boolean;
  /** Every op's postconditions around every event (issue 12) [true]. */
  postconditions?: boolean;
}

export interface RunOptions {
  events: EventChecks;
  properties: PropertyChecks;
  coverage?: Coverage;
  /** Take the determinism snapshot after this many events (clamped to the trace length). */
  snapshotAt?: number;
  /** Every invariant after every event (else the scoped checks of what each event touched, and all at the end). */
  everyInvariant?: boolean;
}

/** A finished run: the concrete trace it produced, the outcomes, and the first failure if any. */
export interface RunResult {
  header: FuzzHeader;
  events: Event[];
  outcomes: Outcome[];
  failure: Failure | null;
  /** The kernel after the last event applied. */
  final: Kernel;
  /**
   * The atomicity shadow, a second replay of the same events that has caught up with `final`;
   * its outcomes were compared with the run's after each event (determinism, reference: Determinism and the state). Null when
   * the run had no shadow. The run-level properties use it up (checkpoint-transparency restores
   * into it once determinism has compared it with `final`).
   */
  replayed: Kernel | null;
  /**
   * Snapshot equality shares the shadow's replay (when determinism is checked too): after this
   * event the shadow continued from a copy of itself, so from there its outcomes and
   * final state are a replay from the snapshot's. Null when it did not.
   */
  replayedCopyAt: number | null;
  /**
   * A copy of the run's state before its first migration, rfork or node_down (`at` events in),
   * taken when location transparency is checked: the events before it are the same with and
   * without migrations, so that property's replays start there. Null when there is none.
   */
  placedFrom: PlacedStart | null;
}

export const ALL_EVENT_CHECKS: EventChecks = { invariants: true, atomicity: true, callbackOrder: true };

/** Every invariant on `k` (what `everyInvariant` runs after each event). */
function checkInvariants(k: Kernel, before: unknown[], index: number): Failure | null {
  for (const i of ALL) {
    const inv = INVARIANTS[i] as Invariant;
    const vs = inv.check(k.s, k.v, before[i]);
    if (vs.length > 0) {
      const v = vs[0]!;
      return { kind: 'invariant', name: v.invariant || inv.id, index, message: `${v.subject}: ${v.message}` };
    }
  }
  return null;
}

const ALL: readonly number[] = INVARIANTS.map((_, i) => i);
/** Transition invariants (with `before`): captured before each event when every invariant is checked. */
const TRANSITIONS = ALL.filter((i) => (INVARIANTS[i] as Invariant).before !== undefined);

const crash = (e: unknown, index: number, ev: Event | null): Failure => ({
  kind: 'crash',
  name: 'crash',
  index,
  message: `${ev ? ev.op + ' ' : ''}threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
});

/**
 * Applies events one by one (each from `next`, which sees the current state, or from a fixed
 * list), checking every invariant and atomicity after each; stops at the first failure. The
 * shadow kernel trails the main one by one event, so the state before a failed event is at hand
 * without copying every state.
 */
export function execute(header: FuzzHeader, next: (k: Kernel, i: number) => Event | null, opts: RunOptions): RunResult & { snapshot: Kernel | null } {
  const boot = bootTemplate(header);
  const k = boot.boot();
  let shadow = opts.events.atomicity ? boot.boot() : null;
  const before: unknown[] = new Array(INVARIANTS.length);
  const events: Event[] = [];
  const outcomes: Outcome[] = [];
  const determinism = opts.properties.determinism && shadow !== null;
  // reference: Invariants and postconditions replay from a snapshot equals replay from the start: with determinism checked, the
  // shadow itself continues from a copy of itself at the snapshot index, so its later
  // outcomes (compared after every event) and final state (compared by determinism) are the replay
  // from the snapshot's, and the run is not replayed a third time (sharedShadowOutcomeFailure
  // tells the two properties apart on failure); else a copy of the state, replayed at the end
  let snapshot: Kernel | null = null;
  let replayedCopyAt: number | null = null;
  const takeSnapshot = (at: number): void => {
    if (determinism && opts.properties.snapshot && shadow) {
      shadow = cloneKernel(shadow);
      replayedCopyAt = at;
    } else snapshot = cloneKernel(k);
  };
  if (opts.snapshotAt === 0) takeSnapshot(0);
  let placedFrom: PlacedStart | null = null;
  const placement = opts.properties['location-transparency'];
  const done = (failure: Failure | null) => ({
    header, events, outcomes, failure, snapshot, final: k, replayed: failure ? null : shadow, replayedCopyAt, placedFrom: failure ? null : placedFrom,
  });
  const callbackOrder = opts.events.callbackOrder !== false && k.s.config.traceCallbacks;
  const posts = opts.events.postconditions !== false ? new PostChecker() : null;
  const every = opts.everyInvariant === true;
  if (opts.events.invariants && every) {
    const f = checkInvariants(k, before, 0);
    if (f) return done(f);
  }
  // reference: Invariants and postconditions after every event: the replay checker's scoped checks of what each event touched, every
  // invariant on the boot (once per template: the boot states of a header are all equal) and final
  // states, and an exact replay of the run when any of them fails (one segment, replayed from a
  // fresh boot, not a copy, when a check fails)
  const checker =
    opts.events.invariants && !every
      ? new IncrementalChecker(k, INVARIANTS, { fullEvery: Number.MAX_SAFE_INTEGER, restart: () => boot.boot(), startChecked: boot.checked })
      : null;
  const violation = (): Failure | null => {
    const v = checker?.violations[0];
    return v ? { kind: 'invariant', name: v.invariant, index: v.index, message: `${v.subject}: ${v.message}` } : null;
  };
  if (violation()) return done(violation());
  if (checker) boot.checked = true;
  for (let i = 0; ; i++) {
    let ev: Event | null = null;
    try {
      ev = next(k, i);
      if (ev === null) break;
      events.push(ev);
      if (placement && placedFrom === null && (MOVES(ev) || ev.op === 'node_down')) placedFrom = { at: i, kernel: cloneKernel(k) };
      if (opts.events.invariants && every) for (const j of TRANSITIONS) before[j] = INVARIANTS[j]!.before?.(k.s, k.v);
      posts?.before(k.s, k.v, ev);
      const outcome = checker ? checker.step(ev) : step(k, ev);
      outcomes.push(outcome);
      opts.coverage?.add(ev, outcome, k.v);
      if (checker && checker.violations.length > 0) return done(violation());
      if (opts.events.invariants && every) {
        const f = checkInvariants(k, before, i + 1);
        if (f) return done(f);
      }
      const broken = posts?.after(k.s, k.v, ev, outcome);
      if (broken) return done({ kind: 'postcondition', name: broken.invariant, index: i + 1, message: broken.message });
      if (callbackOrder) {
        const msg = callbackOrderViolation(k.s, k.v, ev, outcome);
        if (msg) return done({ kind: 'property', name: 'callback-order', index: i + 1, message: msg });
      }
      if (shadow) {
        const msg = atomicityViolation(shadow, k, ev, outcome);
        if (msg) return done({ kind: 'property', name: 'atomicity', index: i + 1, message: msg });
        const again = step(shadow, ev);
        if (determinism && !jsonEqual(again, outcome)) {
          return done(replayedCopyAt !== null ? sharedShadowOutcomeFailure({ header, events, outcomes, final: k }, replayedCopyAt, i + 1, again) : secondReplayOutcome(i + 1, again, outcome));
        }
      }
      if (opts.snapshotAt === i + 1) takeSnapshot(i + 1);
    } catch (e) {
      return done(crash(e, i + 1, ev));
    }
  }
  checker?.finish();
  return done(violation());
}

/** One generated run: choices become events against the evolving state, then the run-level properties. */
export function runChoices(table: OpTable, gen: GenOptions, header: FuzzHeader, choices: readonly Choice[], opts: RunOptions, prologue: readonly Event[] = []): RunResult {
  // a reach preset's fixed prologue opens the run (src/fuzz/presets.ts), then one event per choice
  const p = prologue.length;
  const r = execute(header, (k, i) => (i < p ? prologue[i]! : i - p < choices.length ? concretize(table, k.s, k.v, choices[i - p]!, gen, i - p) : null), opts);
  return finish(r, opts);
}

/** A fixed trace (a counterexample file) under the same checks: what `fuzz --replay` runs. */
export function runTrace(header: FuzzHeader, events: readonly Event[], opts: RunOptions): RunResult {
  const strip = (ev: Event): Event => {
    const { expect: _e, note: _n, t: _t, ...rest } = ev as Event & { expect?: unknown; note?: unknown; t?: unknown };
    void _e; void _n; void _t;
    return rest as Event;
  };
  const r = execute(header, (_k, i) => (i < events.length ? strip(events[i]!) : null), opts);
  return finish(r, opts);
}

function finish(r: RunResult & { snapshot: Kernel | null }, opts: RunOptions): RunResult {
  const { snapshot, ...result } = r;
  if (result.failure) return result;
  try {
    result.failure = checkTraceProperties(result, opts.properties, snapshot, opts.snapshotAt ?? 0);
  } catch (e) {
    result.failure = crash(e, 0, null);
  }
  return result;
}
