import type { Outcome } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Event } from '../trace/schema-types.js';
import { BranchCoverage } from './branches.js';

/** The outcome as coverage counts it: `ret`, `blocked`, or the errno. */
export const outcomeKey = (o: Outcome): string => ('ret' in o ? 'ret' : 'err' in o ? o.err : 'blocked');

/** (op, outcome) pairs a campaign reached, with counts (keys `op outcome`), and its (op, branch) pairs (`branches`). */
export class Coverage {
  readonly counts = new Map<string, number>();
  /** (op, precondition branch) pairs, counted when `add` is given the run's version. */
  readonly branches = new BranchCoverage();
  /**
   * The keys by op and outcome: `add` runs after every event, and building the key text and
   * hashing it anew each time showed in a campaign's profile (the op and errno strings hash once).
   */
  private readonly keys = new Map<string, Map<string, string>>();
  add(ev: Event, o: Outcome, v?: SemanticVersion): void {
    if (v !== undefined) this.branches.add(ev, o, v);
    const outcome = outcomeKey(o);
    let byOutcome = this.keys.get(ev.op);
    if (byOutcome === undefined) this.keys.set(ev.op, (byOutcome = new Map()));
    let key = byOutcome.get(outcome);
    if (key === undefined) byOutcome.set(outcome, (key = ev.op + ' ' + outcome));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  merge(other: Coverage | Record<string, number>): void {
    if (other instanceof Coverage) this.branches.merge(other.branches);
    const entries = other instanceof Coverage ? other.counts.entries() : Object.entries(other);
    for (const [k, n] of entries) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }
  has(op: string, outcome: string): boolean {
    return this.counts.has(op + ' ' + outcome);
  }
  /** Rows sorted by op then outcome, for `--json` and the printed table. */
  table(): { op: string; outcome: string; count: number }[] {
    return [...this.counts.entries()]
      .map(([k, count]) => {
        const [op, outcome] = k.split(' ') as [string, string];
        return { op, outcome, count };
      })
      .sort((a, b) => (a.op < b.op ? -1 : a.op > b.op ? 1 : a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0));
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
