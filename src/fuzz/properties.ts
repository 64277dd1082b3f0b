import { carriesReason, type Outcome } from '../reducer/outcome.js';
import { cloneKernel, type Kernel, step } from '../replay/kernel.js';
import { jsonEqual, matchesExpect } from '../replay/expect.js';
import { stateHash } from '../state/canonical.js';
import type { Event, Expect, TraceHeader } from '../trace/schema-types.js';
import { withExpect } from '../trace/write.js';
import { bootCopy } from './boots.js';
import { vpsTransparencyFailure } from './checkpoint.js';
import type { Failure, PropertyName } from './failure.js';
import { sameKernelState } from './equal.js';
import { type FuzzHeader, SEMANTICS } from './header.js';
import { agreeOn } from '../reducer/op.js';
import { opDef } from '../reducer/registry.js';
import { bootsAlike } from '../semantics/mechanisms.js';
import { VERSIONS } from '../semantics/versions.js';

/** Which reference: Invariants and postconditions properties a run checks once it has its trace. */
export type PropertyChecks = Record<Exclude<PropertyName, 'atomicity' | 'callback-order'>, boolean>;

export const ALL_PROPERTIES: PropertyChecks = {
  determinism: true,
  snapshot: true,
  'round-trip': true,
  'location-transparency': true,
  'checkpoint-transparency': true,
  'version-agreement': false,
};

interface Trace {
  header: FuzzHeader;
  events: Event[];
  outcomes: Outcome[];
  /** The kernel after the last event (read-only here). */
  final: Kernel;
  /**
   * A second replay of the same events, compared outcome by outcome already (runner), or null.
   * Once determinism has compared its final state, checkpoint-transparency restores into it.
   */
  replayed: Kernel | null;
  /** The event after which `replayed` continued from a copy of itself (see `sharedShadowOutcomeFailure`), or null. */
  replayedCopyAt: number | null;
  /** Where location transparency's replays may start (used up by it), or null to start from a boot. */
  placedFrom: PlacedStart | null;
}

/** The run's state before event `at` (0-based), a copy nothing else reads. */
export interface PlacedStart {
  at: number;
  kernel: Kernel;
}

const prop = (name: PropertyName, index: number, message: string): Failure => ({ kind: 'property', name, index, message });
const show = (o: Outcome | undefined): string => JSON.stringify(o ?? null);

/** The first index where two outcome lists differ (`ret`/`err`/`blocked` and side information). */
function firstDifference(a: readonly Outcome[], b: readonly Outcome[], compare = jsonEqual): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (!compare(a[i], b[i])) return i;
  return -1;
}

/** Only what `expect` always compares: ret / err / blocked (reference: Outcomes). */
const sameResult = (a: unknown, b: unknown): boolean => {
  const x = a as Record<string, unknown> | undefined;
  const y = b as Record<string, unknown> | undefined;
  if (!x || !y) return x === y;
  if ('ret' in x) return 'ret' in y && jsonEqual(x.ret, y.ret);
  if ('err' in x) return x.err === y.err;
  return 'blocked' in y;
};

/** Boot and apply `events` without invariants or hashing: the properties compare kernels directly. */
function replayPlain(header: FuzzHeader, events: readonly Event[], semantics?: string): { outcomes: Outcome[]; kernel: Kernel } {
  const kernel = bootCopy(header, semantics);
  const outcomes = events.map((ev) => step(kernel, ev));
  return { outcomes, kernel };
}

/** Equal final states: raw equality first (cheap), the canonical hash when the raw states differ. */
function sameState(a: Kernel, b: Kernel): boolean {
  return sameKernelState(a.s, b.s) || stateHash(a.s, a.v) === stateHash(b.s, b.v);
}

const snapshotOutcome = (at: number, index: number, got: Outcome, want: Outcome | undefined): Failure =>
  prop('snapshot', index, `from the snapshot after event ${at}: ${show(got)} instead of ${show(want)}`);
const snapshotState = (at: number, k: Kernel, final: Kernel): Failure =>
  prop('snapshot', 0, `from the snapshot after event ${at} the run ends in ${stateHash(k.s, k.v)}, not ${stateHash(final.s, final.v)}`);

/** Replay from a snapshot (a copy taken after `at` events) equals replay from the start. */
function snapshotEquality(t: Trace, snap: Kernel, at: number): Failure | null {
  for (let i = at; i < t.events.length; i++) {
    const o = step(snap, t.events[i]!);
    if (!jsonEqual(o, t.outcomes[i])) return snapshotOutcome(at, i + 1, o, t.outcomes[i]);
  }
  return sameState(snap, t.final) ? null : snapshotState(at, snap, t.final);
}

type Run = Pick<Trace, 'header' | 'events' | 'outcomes' | 'final'>;
type Replay = { outcomes: Outcome[]; kernel: Kernel };

/** A second replay gave outcome `got` for event `index` where the run gave `want` (reference: Determinism and the state). */
export const secondReplayOutcome = (index: number, got: Outcome, want: Outcome | undefined): Failure =>
  prop('determinism', index, `second replay: ${show(got)} instead of ${show(want)}`);
const secondReplayState = (k: Kernel, final: Kernel): Failure =>
  prop('determinism', 0, `second replay ends in ${stateHash(k.s, k.v)}, first in ${stateHash(final.s, final.v)}`);

/**
 * Where `r`, a replay of the run's first `r.outcomes.length` events, first differs from the run:
 * an event's index (1-based), 0 for the final state once it has replayed every event, or -1.
 */
function differsAt(t: Run, r: Replay): number {
  const i = firstDifference(t.outcomes.slice(0, r.outcomes.length), r.outcomes);
  if (i >= 0) return i + 1;
  return r.outcomes.length === t.events.length && !sameState(r.kernel, t.final) ? 0 : -1;
}

/** Determinism against `r`, a second replay of the run's first events (see `differsAt`). */
function secondReplayFailure(t: Run, r: Replay): Failure | null {
  const d = differsAt(t, r);
  return d < 0 ? null : d > 0 ? secondReplayOutcome(d, r.outcomes[d - 1] as Outcome, t.outcomes[d - 1]) : secondReplayState(r.kernel, t.final);
}

/** `events` from a fresh boot through a copy of the state after the first `at` of them (as the runner's shadow copies itself). */
function replayThroughCopy(header: FuzzHeader, events: readonly Event[], at: number): Replay {
  const first = replayPlain(header, events.slice(0, at));
  const kernel = cloneKernel(first.kernel);
  return { outcomes: first.outcomes.concat(events.slice(at).map((ev) => step(kernel, ev))), kernel };
}

/**
 * The runner shares one replay between determinism and snapshot equality: its shadow (a second
 * replay from the start) continues from a copy of itself after event `at`. When it then differs
 * from the run over `events`, fresh replays of the same events tell the properties apart, as
 * separate replays did: determinism when a plain replay from the start differs from the run too;
 * snapshot equality (`asSnapshot`) when a plain replay agrees and one through a copy at `at`
 * differs; determinism again (`asDeterminism`) when neither repeats the difference (it came and
 * went, so the replay, not the copy, is at fault). Only on the failure path.
 */
function attributeSharedShadow(t: Run, at: number, events: readonly Event[], asSnapshot: () => Failure, asDeterminism: () => Failure): Failure {
  return (
    secondReplayFailure(t, replayPlain(t.header, events)) ??
    (differsAt(t, replayThroughCopy(t.header, events, at)) >= 0 ? asSnapshot() : asDeterminism())
  );
}

/** The shared shadow gave outcome `again` for event `index` where the run gave another (see `attributeSharedShadow`). */
export function sharedShadowOutcomeFailure(t: Run, at: number, index: number, again: Outcome): Failure {
  const want = t.outcomes[index - 1];
  return attributeSharedShadow(t, at, t.events.slice(0, index), () => snapshotOutcome(at, index, again, want), () => secondReplayOutcome(index, again, want));
}

/** The shared shadow ends in another state than the run. */
function sharedShadowStateFailure(t: Run, at: number, shadow: Kernel): Failure {
  return attributeSharedShadow(t, at, t.events, () => snapshotState(at, shadow, t.final), () => secondReplayState(shadow, t.final));
}

/** The replay log: every event with its outcome as `expect` (reference: Command line `--log`). */
export function replayLog(t: Pick<Trace, 'header' | 'events' | 'outcomes'>): TraceHeader & { events: Event[] } {
  return { ...t.header, events: t.events.map((ev, i) => withExpect(ev, t.outcomes[i] as Outcome)) };
}

/**
 * The log as `replay` would read it back: written as JSON text and parsed. Not validated against the
 * schema again: generated events are well-formed by construction and outcomes are typed; that the
 * logs of generated runs pass the schema is a test (test/fuzz/schema.test.ts), not a per-run cost.
 */
const readBack = (t: Trace): Event[] => (JSON.parse(JSON.stringify(replayLog(t))) as { events: Event[] }).events;

/**
 * determinism and round trip in one replay: the log (events with their outcomes as `expect`) is
 * written as JSON, read back and replayed. Different outcomes or a different final state break
 * determinism (reference: Determinism and the state); a divergence with equal outcomes breaks the round trip (the written
 * `expect` does not match what it recorded).
 */
function determinismAndRoundTrip(t: Trace, checks: PropertyChecks): Failure | null {
  if (t.replayed) return againstShadow(t, t.replayed, checks);
  const parsed = readBack(t);
  const r = replayPlain(t.header, parsed);
  const second = checks.determinism ? secondReplayFailure(t, r) : null;
  if (second) return second;
  if (!checks['round-trip']) return null;
  const d = parsed.findIndex((ev, i) => !matchesExpect(ev.expect as Expect, r.outcomes[i] as Outcome));
  return d >= 0 ? prop('round-trip', d + 1, `the written log diverges: expected ${show(parsed[d]!.expect as Outcome)}, got ${show(r.outcomes[d])}`) : null;
}

/**
 * Whether JSON text keeps `x` as it is: `JSON.parse(JSON.stringify(x))` is `jsonEqual` to `x`, key
 * for key. JSON has strings, finite numbers, booleans, null, arrays and plain objects; anything
 * else is dropped (undefined, functions, symbols), turned into null (NaN, Infinity, holes), into
 * `{}` (Map, Set), or rewritten by a `toJSON` (Date), and a bigint cannot be written at all.
 * Stricter than comparing the text round trip only where JSON loses something that comparison
 * did not look at (a Map, Set or class instance read back as a plain object with the same own
 * keys; an undefined-valued key of an outcome, which `matchesExpect` ignores): none is a JSON value.
 */
export function survivesJson(x: unknown): boolean {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(x);
    case 'object': {
      if (x === null) return true;
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) if (!survivesJson(x[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(x) as unknown;
      if ((proto !== Object.prototype && proto !== null && !carriesReason(x)) || typeof (x as { toJSON?: unknown }).toJSON === 'function') return false;
      const o = x as Record<string, unknown>;
      for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !survivesJson(o[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * The same two properties when the runner's shadow already replayed the events and matched every
 * outcome: determinism needs only the final states; the written log replays without divergence
 * when it reads back as the same events (replay is then the shadow's) with every `expect`
 * matching the outcome it recorded. Both hold when each event (without an `expect` of its own,
 * which the log would overwrite) and each outcome survive JSON text (`survivesJson`): the log
 * then reads back as the events with their outcomes as `expect`, and an outcome matches itself.
 * (The text round trip itself, which this replaces, was most of the property's cost.)
 */
function againstShadow(t: Trace, replayed: Kernel, checks: PropertyChecks): Failure | null {
  if (checks.determinism && !sameState(replayed, t.final)) {
    return t.replayedCopyAt !== null ? sharedShadowStateFailure(t, t.replayedCopyAt, replayed) : secondReplayState(replayed, t.final);
  }
  if (!checks['round-trip']) return null;
  const d = t.events.findIndex((ev, i) => Object.prototype.hasOwnProperty.call(ev, 'expect') || !survivesJson(ev) || !survivesJson(t.outcomes[i]));
  return d >= 0 ? prop('round-trip', d + 1, `the written log diverges: ${t.events[d]!.op} ${JSON.stringify(t.events[d])} with ${show(t.outcomes[d])} does not survive JSON text`) : null;
}

export const MOVES = (ev: Event): boolean => ev.op === 'migrate' || (ev.op === 'fork' && ev.node !== undefined);
const withoutNode = (ev: Event): Event => {
  if (ev.op !== 'fork' || ev.node === undefined) return ev;
  const { node: _n, ...rest } = ev;
  void _n;
  return rest;
};

/**
 * location transparency (reference: migrate): take the trace without node_down events and without the
 * migrations and rforks that failed; if every migration and rfork in it succeeds, removing them
 * (migrate events dropped, `node` arguments removed) leaves every other outcome unchanged.
 */
function locationTransparency(t: Trace): Failure | null {
  if (!t.events.some(MOVES)) return null;
  const keep = t.events.map((ev, i) => ev.op !== 'node_down' && !(MOVES(ev) && !('ret' in (t.outcomes[i] as Outcome))));
  const kept = t.events.filter((_, i) => keep[i]);
  // Both replays keep the events before the first move or node_down as they are: they start from
  // the run's state there (the runner's copy; the first replay takes a copy of it), with the run's outcomes before it
  const start = t.placedFrom;
  const replay = (evs: readonly Event[], last: boolean): { outcomes: Outcome[] } => {
    if (!start) return replayPlain(t.header, evs);
    const k = last ? start.kernel : cloneKernel(start.kernel);
    return { outcomes: t.outcomes.slice(0, start.at).concat(evs.slice(start.at).map((ev) => step(k, ev))) };
  };
  // nothing dropped: the run's own outcomes are the placed ones
  const placed = kept.length === t.events.length ? { outcomes: t.outcomes } : replay(kept, false);
  if (kept.some((ev, i) => MOVES(ev) && !('ret' in (placed.outcomes[i] as Outcome)))) return null;
  const index: number[] = [];
  const flat: Event[] = [];
  kept.forEach((ev, i) => {
    if (ev.op !== 'migrate') {
      index.push(i);
      flat.push(withoutNode(ev));
    }
  });
  const local = replay(flat, true);
  for (let j = 0; j < flat.length; j++) {
    const a = placed.outcomes[index[j]!];
    const b = local.outcomes[j];
    if (!sameResult(a, b)) {
      const ev = kept[index[j]!]!;
      return prop('location-transparency', t.events.indexOf(ev) + 1, `${ev.op} gives ${show(a)} with migrations and ${show(b)} without`);
    }
  }
  return null;
}

/**
 * version agreement (reference: Invariants and postconditions): every other version that gives every op of the run the same rules
 * (each op's `rules`, src/reducer/op.ts) gives the same outcomes.
 */
function versionAgreement(t: Trace): Failure | null {
  const v = VERSIONS[t.header.semantics];
  for (const other of SEMANTICS) {
    if (other === t.header.semantics || !bootsAlike(t.header.config, v, VERSIONS[other])) continue;
    if (!t.events.every((ev) => agreeOn(opDef(ev.op), v, VERSIONS[other]))) continue;
    const r = replayPlain(t.header, t.events, other);
    const i = firstDifference(t.outcomes, r.outcomes, sameResult);
    if (i >= 0) return prop('version-agreement', i + 1, `${t.events[i]!.op}: ${t.header.semantics} gives ${show(t.outcomes[i])}, ${other} gives ${show(r.outcomes[i])}`);
  }
  return null;
}

/** Every enabled run-level property, first failure wins (in the order of reference: Invariants and postconditions). */
export function checkTraceProperties(t: Trace, checks: PropertyChecks, snap: Kernel | null, snapAt: number): Failure | null {
  return (
    (checks.determinism || checks['round-trip'] ? determinismAndRoundTrip(t, checks) : null) ??
    (checks.snapshot && snap ? snapshotEquality(t, snap, snapAt) : null) ??
    (checks['location-transparency'] ? locationTransparency(t) : null) ??
    (checks['checkpoint-transparency'] ? vpsTransparencyFailure(t.final, checks.determinism ? t.replayed : null) : null) ??
    (checks['version-agreement'] ? versionAgreement(t) : null)
  );
}
