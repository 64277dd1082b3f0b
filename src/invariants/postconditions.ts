import { post } from '../kernel/post-util.js';
import type { Op } from '../reducer/context.js';
import { errnosUnder } from '../reducer/op.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Postcondition } from '../reducer/postcondition.js';
import { OPS } from '../reducer/registry.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Violation } from './types.js';

/**
 * Every op's postconditions (issue 12): what the kernel promises about the op's return value and
 * its effect, each a function of the state before, the event, the outcome and the state after.
 * Each op's own are in its registry entry (`post`, written beside its handler in `*.post.ts`);
 * the common ones below hold for every op.
 */

/** Each op's errnos under each version, and the ones only an injection causes (src/reducer/op.ts). */
const errnoTable = new Map<string, Map<SemanticVersion, ReadonlySet<string>>>();
function errnosOf(op: string, v: SemanticVersion): ReadonlySet<string> {
  let byVersion = errnoTable.get(op);
  if (!byVersion) errnoTable.set(op, (byVersion = new Map()));
  let set = byVersion.get(v);
  if (!set) {
    const d = OPS.get(op as Op);
    byVersion.set(v, (set = new Set(d ? [...errnosUnder(d, v), ...d.injected] : [])));
  }
  return set;
}

/** Postconditions every op has: its errno table, and the dispatcher's answers for a caller that cannot run. */
export const COMMON_POSTCONDITIONS: readonly Postcondition[] = [
  post<Event, readonly string[] | null>({
    id: 'post-errno-table',
    doc: 'a failed op returns an errno from its table (reference: Outcomes, Operations), or one a pending fault injection names (reference: inject)',
    before: (s) => (s.injections.length > 0 ? s.injections.map((i) => i.err) : null),
    check(injected, _s, v, ev, o) {
      if (!('err' in o) || errnosOf(ev.op, v).has(o.err) || injected?.includes(o.err)) return null;
      return `${ev.op} failed with ${o.err}, not in its table under ${v.name} (${[...errnosOf(ev.op, v)].join(', ')}) nor injected`;
    },
  }),
  post<Event, 'dead' | 'stopped' | 'runnable' | 'env'>({
    id: 'post-caller',
    doc: 'an op of a caller that is no live task fails with ESRCH, one of a stopped caller blocks, and only wait blocks a runnable caller (reference: Outcomes)',
    before(s, _v, ev) {
      if (OPS.get(ev.op)?.env !== false) return 'env';
      const by = s.tasks.get((ev as { by: number }).by);
      // A thread is as live and as stopped as its process; a leader whose thread exited is no live caller (reference: threads).
      const t = by && by.tgid !== by.pid ? s.tasks.get(by.tgid) : by;
      return !t || t.state === 'zombie' || (t === by && t.leaderExited !== null) ? 'dead' : t.state === 'stopped' ? 'stopped' : 'runnable';
    },
    check(pre, _s, _v, ev, o) {
      if (pre === 'dead') return 'err' in o && o.err === 'ESRCH' ? null : `${JSON.stringify(o)} for a caller that is no live task (ESRCH expected)`;
      if (pre === 'stopped') return 'blocked' in o ? null : `${JSON.stringify(o)} for a stopped caller (blocked expected)`;
      return 'blocked' in o && ev.op !== 'wait' ? `${ev.op} blocked` : null;
    },
  }),
];

const NONE: readonly Postcondition[] = [];
/** Each op's own postconditions and the common ones, in the order they are checked. */
const CHECKED = new Map<string, readonly Postcondition[]>(
  [...OPS.values()].map((d) => [d.name, [...COMMON_POSTCONDITIONS, ...(d.post as readonly Postcondition[])]]),
);

/** Every postcondition once, for `kreplay invariants`: the common ones, then by op in registry order. */
export const POSTCONDITIONS: readonly Postcondition[] = [...COMMON_POSTCONDITIONS, ...[...OPS.values()].flatMap((d) => d.post as readonly Postcondition[])];

/** The postconditions of `op`, common ones first. */
export const postconditionsOf = (op: string): readonly Postcondition[] => CHECKED.get(op) ?? COMMON_POSTCONDITIONS;

/**
 * Runs the postconditions of each event around it: `before` on the state before the event, then
 * `after` on the outcome and the state after. One per replay or run; not reentrant.
 */
export class PostChecker {
  private posts: readonly Postcondition[] = NONE;
  private readonly pre: unknown[] = [];
  before(s: KernelState, v: SemanticVersion, ev: Event): void {
    const posts = postconditionsOf(ev.op);
    this.posts = posts;
    for (let i = 0; i < posts.length; i++) this.pre[i] = posts[i]!.before(s, v, ev);
  }
  /** The first postcondition the event broke, as a violation, or null. */
  after(s: KernelState, v: SemanticVersion, ev: Event, o: Outcome): Violation | null {
    const posts = this.posts;
    for (let i = 0; i < posts.length; i++) {
      const p = posts[i]!;
      const msg = p.check(this.pre[i], s, v, ev, o);
      if (msg !== null) return { invariant: p.id, subject: `${ev.op} -> ${JSON.stringify(o)}`, message: msg };
    }
    return null;
  }
}
