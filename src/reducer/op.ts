import type { SemanticVersion } from '../semantics/versions.js';
import type { Event } from '../trace/schema-types.js';
import type { Gen } from '../workload/gen.js';
import type { EnvHandler, EnvOp, EventOf, Op, TaskHandler, TaskOp } from './context.js';
import type { Errno, RetValue } from './outcome.js';
import type { ReasonCode } from './reasons.js';
import type { Postcondition } from './postcondition.js';

/**
 * What a successful event of an op may change, as the scoped checker (src/replay/incremental.ts)
 * needs to know it:
 * - `none`: nothing any invariant reads (getters, `read`, dispositions, the injection queue, images);
 * - `scoped`: tasks, numbers, VPSes or cgroups, each recorded where the model changes it;
 * - `wholesale`: hierarchies, subsystems, hotplug moves, nodes, a restored VPS: every invariant
 *   is checked in full after it.
 */
export type Effect = 'none' | 'scoped' | 'wholesale';

/** A rule field of a semantic version (src/semantics/versions.ts). */
export type Rule = Exclude<keyof SemanticVersion, 'name' | 'summary' | 'defaults'>;
/** Rule values a case applies under, e.g. `{ registration: 'modular' }`. */
export type RuleValues = { readonly [R in Rule]?: SemanticVersion[R] };

/** An errno an op can return; `if`: only under versions with these rule values. */
export type ErrnoCase = Errno | { readonly errno: Errno; readonly if: RuleValues };

/**
 * A failure branch of an op: a reason code its handler can return (the areas' reasons.ts), each naming
 * the precondition that failed; `if`: only under versions with these rule values.
 */
export type ReasonCase = ReasonCode | { readonly reason: ReasonCode; readonly if: RuleValues };

/** A success branch's name; `if`: only under versions with these rule values. */
export type SuccessCase = string | { readonly name: string; readonly if: RuleValues };

/**
 * The ways an op succeeds, when there is more than one worth telling apart (wait: a child reported,
 * or nothing to report under WNOHANG): their names, and which one a success took.
 */
export interface Successes<E extends Event = Event> {
  readonly names: readonly SuccessCase[];
  readonly of: (ev: E, ret: RetValue) => string;
}

/** The caller checks every task op makes before its handler runs (src/reducer/apply.ts): failure branches of every task op. */
export const CALLER_BRANCHES = ['caller-missing', 'caller-zombie', 'caller-stopped'] as const satisfies readonly ReasonCode[];

/** The one success branch of an op that declares none. */
export const OK_BRANCH = 'ok';

/**
 * One way to generate the op for fuzz, bench and differential tests (src/workload/table.ts): a
 * state-aware event maker with its precondition, as fast-check's `ICommand` keeps `check` and
 * `run` together.
 */
export interface OpGenerator {
  /** Weight in a general run; absent: not generated there. */
  weight?: number;
  /** Weight in a cgroup-focused run; absent: not generated there. */
  focus?: number;
  /** Generated only when faults are injected (`--faults`). */
  faults?: true;
  /** Precondition on the state; when it fails, the op's first generator makes the event instead. */
  when?: (g: Gen) => boolean;
  /** The event, well-formed or (when `g.bad`) deliberately wrong. */
  make: (g: Gen) => Event;
}

type HandlerOf<K extends Op> = K extends EnvOp ? EnvHandler<K> : K extends TaskOp ? TaskHandler<K> : never;

/** What an area writes for one op: everything the rest of the code knows about it. */
export interface OpSpec<K extends Op> {
  name: K;
  /** Environment event (no `by`, reference: Events) or an operation a task performs: fixed by the schema. */
  env: K extends EnvOp ? true : false;
  handler: HandlerOf<K>;
  /** The kernel function or seed rule the handler models, for the op reference. */
  models: string;
  /** What a success returns, in words (docs/reference.md; `kreplay ops`). */
  returns: string;
  /** What each argument means, by the schema's property name (their types come from the schema). */
  args?: Readonly<Record<string, string>>;
  effect: Effect;
  /** May run exit processing (transition invariants capture their `before` around it). */
  exits?: boolean;
  /**
   * Allocates pids: a failure may leave the allocator's `last` moved and a VPS switched to sparse
   * mode (reference: Outcomes, seed 004), the only changes a failed event may make.
   */
  allocates?: boolean;
  /** The version rules the outcome depends on: two versions agree on the op when these are equal. */
  rules?: readonly Rule[];
  /** The rule values under which the op can succeed at all (default: any version), e.g. `{ childSubreaper: true }`. */
  succeedsIf?: RuleValues;
  /**
   * Every errno it can return, meant in the order the handler checks them (ESRCH first for a task
   * op's dead caller); the lists came from the coverage table and are not yet audited for order.
   */
  errnos: readonly ErrnoCase[];
  /** Errnos only an injected fault causes (reference: inject). */
  injected?: readonly Errno[];
  /**
   * Its failure branches: every reason code the handler returns (the `injected` one included when
   * a fault injection can fail it), besides the caller checks of a task op (CALLER_BRANCHES), which
   * are derived. test/fuzz/branches.test.ts fails on a reason the handler returns that is not here.
   */
  reasons?: readonly ReasonCase[];
  /** Its success branches when it has more than one [one, `ok`]. */
  successes?: Successes<EventOf<K>>;
  gen: readonly OpGenerator[];
  /** What the op promises (issue 12): run by replay and fuzz, never by the model. */
  post?: readonly Postcondition<EventOf<K>>[];
}

/** One op, defined once (src/reducer/registry.ts collects them into `OPS`). */
export interface OpDefOf<K extends Op> extends Required<Omit<OpSpec<K>, 'successes'>> {
  successes: Successes<EventOf<K>> | null;
}
/** Any op's definition. */
export type OpDef = { [K in Op]: OpDefOf<K> }[Op];

/** Defines an op; the optional fields get their defaults (no exit processing, allocation, rules, injected errnos, reasons, postconditions or argument notes; one success branch, `ok`). */
export function defineOp<K extends Op>(spec: OpSpec<K>): OpDefOf<K> {
  return { exits: false, allocates: false, rules: [], succeedsIf: {}, injected: [], reasons: [], post: [], args: {}, ...spec, successes: spec.successes ?? null };
}

/** Whether `e` applies under `v`. */
export function errnoApplies(e: ErrnoCase, v: SemanticVersion): boolean {
  if (typeof e === 'string') return true;
  return (Object.keys(e.if) as Rule[]).every((r) => v[r] === e.if[r]);
}
export const errnoName = (e: ErrnoCase): Errno => (typeof e === 'string' ? e : e.errno);

/** The op's errnos under `v`, in check order. */
export const errnosUnder = (d: OpDef, v: SemanticVersion): Errno[] => d.errnos.filter((e) => errnoApplies(e, v)).map(errnoName);

/** Whether a case with rule values `when` applies under `v`. */
const ruleHolds = (when: RuleValues, v: SemanticVersion): boolean => (Object.keys(when) as Rule[]).every((r) => v[r] === when[r]);

/** The op's failure branches under `v`: the caller checks of a task op, then its declared reasons. */
export function failureBranchesUnder(d: OpDef, v: SemanticVersion): ReasonCode[] {
  const declared = d.reasons.flatMap((c) => (typeof c === 'string' ? [c] : ruleHolds(c.if, v) ? [c.reason] : []));
  return [...(d.env ? [] : CALLER_BRANCHES), ...declared];
}

/** The op's success branches under `v` (`ok` when it declares none). */
export function successBranchesUnder(d: OpDef, v: SemanticVersion): string[] {
  if (d.successes === null) return [OK_BRANCH];
  return d.successes.names.flatMap((c) => (typeof c === 'string' ? [c] : ruleHolds(c.if, v) ? [c.name] : []));
}

/** Every (precondition) branch of the op under `v`: its success branches, then its failure branches. */
export const branchesUnder = (d: OpDef, v: SemanticVersion): string[] => [...successBranchesUnder(d, v), ...failureBranchesUnder(d, v)];

/** Whether versions `a` and `b` give the op the same rules (reference: Invariants and postconditions version agreement). */
export const agreeOn = (d: OpDef, a: SemanticVersion, b: SemanticVersion): boolean => d.rules.every((r) => JSON.stringify(a[r]) === JSON.stringify(b[r]));

/** Collects op definitions by name, in order; an op registered twice is an internal error at load. */
export function registerOps(defs: readonly OpDef[]): ReadonlyMap<Op, OpDef> {
  const out = new Map<Op, OpDef>();
  for (const d of defs) {
    if (out.has(d.name)) throw new Error(`internal: op "${d.name}" is registered twice`);
    out.set(d.name, d);
  }
  return out;
}
