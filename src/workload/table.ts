import { genMkdir } from '../cgroup/ops.js';
import type { Op } from '../reducer/context.js';
import { agreeOn, type OpDef, type OpGenerator } from '../reducer/op.js';
import { OPS } from '../reducer/registry.js';
import { type SemanticVersion, VERSIONS } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Choice } from './choice.js';
import { missingPlugins } from './cgroup.js';
import { type Gen, type GenOptions, HIER_NAMES } from './gen.js';
import { hierarchies, pickOr, subsystems } from './pick.js';

/** One row of a campaign's op table: a generator of an op's definition, at the weight this table gives it. */
export interface OpEntry {
  op: Op;
  weight: number;
  gen: (g: Gen) => Event;
}

/**
 * Subsystem setup first, in a cgroup-focused run (the deep states of reference: mkdir, attach need several
 * subsystems on one hierarchy): 2006 registers a missing plugin while only the top container
 * exists (register_subsys is EBUSY after any mkdir, reference: register_subsys); 2009 loads a missing plugin, then
 * mounts every free subsystem on one hierarchy. Once set up, it builds the tree (mkdir).
 */
function genSetup(g: Gen): Event {
  const missing = missingPlugins(g.s);
  if (g.v.registration === 'register') {
    const top = hierarchies(g.s)[0];
    const slots = g.s.cg.slots.filter((x) => x === null).length;
    return top && top.cgroups.size === 1 && missing.length && slots ? { op: 'register_subsys', by: 1, name: pickOr(missing, g.c.b, 'net_cls') } : genMkdir(g);
  }
  if (missing.length && g.c.b % 3 !== 0) return { op: 'load_subsys', by: 1, name: pickOr(missing, g.c.b >> 2, 'net_cls') };
  const free = subsystems(g.s).filter((x) => !x.bound).map((x) => x.name);
  const used = new Set(hierarchies(g.s).map((h) => h.name));
  const name = HIER_NAMES.find((n) => !used.has(n));
  return free.length > 1 && name !== undefined ? { op: 'mount', by: 1, hierarchy: name, subsystems: free } : genMkdir(g);
}

/** A generator of `d` as a table row: its precondition failing, the op's first generator makes the event. */
function entry(d: OpDef, x: OpGenerator, weight: number): OpEntry {
  const first = (d.gen[0] as OpGenerator).make;
  const when = x.when;
  return { op: d.name, weight, gen: when ? (g) => (when(g) ? x.make(g) : first(g)) : x.make };
}

/** Rows of every registered op, in registration order, with the weight `weightOf` gives (none: left out). */
function rows(faults: boolean, keep: (d: OpDef) => boolean, weightOf: (x: OpGenerator) => number | undefined): OpEntry[] {
  const plain: OpEntry[] = [];
  const faulty: OpEntry[] = [];
  for (const d of OPS.values()) {
    if (!keep(d)) continue;
    for (const x of d.gen) {
      const w = weightOf(x);
      if (w !== undefined) (x.faults ? faulty : plain).push(entry(d, x, w));
    }
  }
  return faults ? [...plain, ...faulty] : plain;
}

/**
 * Rows of the ops `weights` names, in registration order: an op's weight is shared among its
 * generators (of faults too, with `faults`) in proportion to their own general weights.
 */
function weighted(weights: Partial<Record<Op, number>>, faults: boolean): OpEntry[] {
  const out: OpEntry[] = [];
  for (const d of OPS.values()) {
    const w = weights[d.name];
    if (w === undefined || w <= 0) continue;
    const gens = d.gen.filter((x) => faults || !x.faults);
    const sum = gens.reduce((n, x) => n + (x.weight ?? x.focus ?? 1), 0);
    for (const x of gens) out.push(entry(d, x, Math.max(1, Math.round((w * (x.weight ?? x.focus ?? 1)) / sum))));
  }
  return out;
}

/** Only in a cgroup-focused table: subsystems set up, else the tree grows (a wrong event is a wrong mkdir). */
const SETUP: OpEntry = { op: 'register_subsys', weight: 14, gen: (g) => (g.bad ? genMkdir(g) : genSetup(g)) };

/** Whether every version in `vs` gives `d` the same rules (reference: Invariants and postconditions version agreement). */
const agreed = (d: OpDef, vs: readonly SemanticVersion[]): boolean => vs.every((v) => agreeOn(d, vs[0] as SemanticVersion, v));

/** The op table for a campaign: cumulative weights so `choice.op` indexes it directly. */
export class OpTable {
  readonly entries: readonly OpEntry[];
  readonly cumulative: number[];
  readonly total: number;
  /**
   * `agreeing`: only the ops on which these versions agree (version agreement; `true`: every
   * version of VERSIONS). `faults`: with the generators of faults. `cgroupFocus`: a cgroup-focused run.
   */
  constructor(opts: { faults: boolean; agreeing?: readonly SemanticVersion[] | boolean; cgroupFocus?: boolean; weights?: Partial<Record<Op, number>> }) {
    const vs = opts.agreeing === true ? Object.values(VERSIONS) : opts.agreeing || [];
    const keep = vs.length > 1 ? (d: OpDef) => agreed(d, vs) : () => true;
    const weights = opts.weights;
    if (weights) this.entries = weighted(weights, opts.faults);
    // a cgroup-focused run: deep cgroup trees, cpuset writes that meet siblings, and failed creates
    // with several subsystems bound are rare when every op competes (generators with a `focus` weight)
    else if (opts.cgroupFocus) {
      const focused = rows(false, keep, (x) => (x.faults ? undefined : x.focus));
      this.entries = [...focused, SETUP, ...(opts.faults ? rows(true, keep, (x) => (x.faults ? x.focus : undefined)) : [])];
    } else this.entries = rows(opts.faults, keep, (x) => x.weight);
    let acc = 0;
    this.cumulative = this.entries.map((e) => (acc += e.weight));
    this.total = acc;
  }
  entryFor(opIndex: number): OpEntry {
    const x = opIndex % this.total;
    let lo = 0;
    while (this.cumulative[lo]! <= x) lo++;
    return this.entries[lo]!;
  }
  /** The first row of `op`, if the table has one. */
  entryOf(op: Op): OpEntry | undefined {
    return this.entries.find((e) => e.op === op);
  }
  /** Every op this table can generate. */
  ops(): Op[] {
    return this.entries.map((e) => e.op);
  }
}

/** Turns abstract choice number `index` (0-based) into a concrete event against the current state. */
export function concretize(table: OpTable, s: KernelState, v: SemanticVersion, c: Choice, opts: GenOptions, index = Infinity): Event {
  return concretizeEntry(table.entryFor(c.op), s, v, c, opts, index);
}

/** `concretize` with the row already chosen (a driver that picks ops its own way). */
export function concretizeEntry(e: OpEntry, s: KernelState, v: SemanticVersion, c: Choice, opts: GenOptions, index = Infinity): Event {
  const bits = [c.b, c.c, c.a ^ c.b, (c.a * 31 + c.c) & 0xffff];
  let i = 0;
  const g: Gen = { s, v, c, bad: c.bad < opts.badPercent, next: () => bits[i++ % bits.length]! + (i > bits.length ? i : 0) };
  if (opts.scope !== undefined) g.scope = opts.scope;
  if (opts.cgroupFocus && index < (opts.setupEvents ?? 0)) return genSetup(g);
  return e.gen(g);
}


/**
 * Generates events against a live state, one per choice: each is made from the state `k` holds
 * when its turn comes, then `apply` applies it (and so advances `k`). For fuzz campaigns, benches
 * and tests that want state-aware traces without fast-check.
 */
export function generate(k: { s: KernelState; v: SemanticVersion }, choices: Iterable<Choice>, table: OpTable, opts: GenOptions, apply: (ev: Event) => void): Event[] {
  const out: Event[] = [];
  let i = 0;
  for (const c of choices) {
    const ev = concretize(table, k.s, k.v, c, opts, i++);
    apply(ev);
    out.push(ev);
  }
  return out;
}

/** Every op some generator makes. */
export const ALL_GENERATED_OPS: readonly Op[] = [...OPS.values()].filter((d) => d.gen.length > 0).map((d) => d.name);
