import type { Op } from '../reducer/context.js';
import { branchesUnder, type OpDef, OK_BRANCH } from '../reducer/op.js';
import { type Outcome, reasonCodeOf, type RetValue } from '../reducer/outcome.js';
import { OPS } from '../reducer/registry.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Event } from '../trace/schema-types.js';

/**
 * (op, precondition branch) coverage (issue 12): which branch each event took. A failed or
 * blocked event's branch is the reason code it carries (the precondition that failed); a success's
 * is the op's success branch (src/reducer/op.ts `successes`, `ok` for one). The branches an op can
 * take are its registry entry's (`branchesUnder`), never a list kept here.
 */

/** The branch an outcome of `ev` took: its reason code, its success branch, or (no reason) `errno:E` / `blocked`. */
export function branchOf(d: OpDef, ev: Event, o: Outcome): string {
  if ('ret' in o) return d.successes === null ? OK_BRANCH : (d.successes.of as (e: Event, r: RetValue) => string)(ev, o.ret);
  return reasonCodeOf(o) ?? ('err' in o ? `errno:${o.err}` : 'blocked');
}

/** What coverage keeps of one op: its definition, its declared branches by version, its keys by branch. */
interface OpEntry {
  def: OpDef;
  declared: Map<SemanticVersion, ReadonlySet<string>>;
  keys: Map<string, string>;
}

/** The branches of `op` declared under `v`, as a set (cached by the caller). */
const declaredSet = (d: OpDef, v: SemanticVersion): ReadonlySet<string> => new Set(branchesUnder(d, v));

/**
 * The (op, branch) pairs a campaign reached, with counts (keys `op branch`), and those reached that
 * the op's registry entry does not declare under the run's version (keys `op branch version`):
 * an undeclared one is a handler returning a reason its entry does not list.
 */
export class BranchCoverage {
  readonly counts = new Map<string, number>();
  readonly undeclared = new Map<string, number>();
  private readonly ops = new Map<string, OpEntry>();
  add(ev: Event, o: Outcome, v: SemanticVersion): void {
    let e = this.ops.get(ev.op);
    if (e === undefined) {
      const def = OPS.get(ev.op as Op);
      if (def === undefined) return;
      this.ops.set(ev.op, (e = { def, declared: new Map(), keys: new Map() }));
    }
    const branch = branchOf(e.def, ev, o);
    let key = e.keys.get(branch);
    if (key === undefined) e.keys.set(branch, (key = ev.op + ' ' + branch));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let declared = e.declared.get(v);
    if (declared === undefined) e.declared.set(v, (declared = declaredSet(e.def, v)));
    if (!declared.has(branch)) {
      const k = `${key} ${v.name}`;
      this.undeclared.set(k, (this.undeclared.get(k) ?? 0) + 1);
    }
  }
  merge(other: BranchCoverage | BranchWire): void {
    const w = other instanceof BranchCoverage ? other.toJSON() : other;
    for (const [k, n] of Object.entries(w.reached)) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    for (const [k, n] of Object.entries(w.undeclared)) this.undeclared.set(k, (this.undeclared.get(k) ?? 0) + n);
  }
  has(op: string, branch: string): boolean {
    return this.counts.has(op + ' ' + branch);
  }
  toJSON(): BranchWire {
    const sorted = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { reached: sorted(this.counts), undeclared: sorted(this.undeclared) };
  }
}

/** Branch coverage as it crosses a worker boundary and appears in `fuzz --json`. */
export interface BranchWire {
  reached: Record<string, number>;
  undeclared: Record<string, number>;
}
