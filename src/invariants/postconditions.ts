import { INJECTED_ERRNOS, SPEC_ERRNOS } from '../fuzz/coverage-spec.js';
import { FORK_POSTCONDITIONS, EXEC_POSTCONDITIONS, EXIT_POSTCONDITIONS, KILL_POSTCONDITIONS, PTRACE_POSTCONDITIONS, SESSION_POSTCONDITIONS, SIGNAL_POSTCONDITIONS } from '../kernel/process.post.js';
import { post } from '../kernel/post-util.js';
import { WAIT_POSTCONDITIONS } from '../kernel/wait.post.js';
import { type Op, isEnvOp } from '../reducer/context.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Violation } from './types.js';

/**
 * Every op's postconditions (issue 12): what the kernel promises about the op's return value and
 * its effect, each a function of the state before, the event, the outcome and the state after.
 * The functions live beside each op's handler (`*.post.ts`); this table wires them in until the
 * op registry holds them.
 */
const BY_OP: Partial<Record<Op, readonly Postcondition[]>> = {
  fork: FORK_POSTCONDITIONS,
  exit: EXIT_POSTCONDITIONS,
  wait: WAIT_POSTCONDITIONS,
  kill: KILL_POSTCONDITIONS,
  signal: SIGNAL_POSTCONDITIONS,
  ...SESSION_POSTCONDITIONS,
  exec: EXEC_POSTCONDITIONS,
  ptrace: PTRACE_POSTCONDITIONS,
};

const allowed = (op: Op): ReadonlySet<string> => new Set([...(SPEC_ERRNOS[op] ?? []), ...(INJECTED_ERRNOS[op] ?? [])]);
const ERRNO_TABLE = new Map<string, ReadonlySet<string>>((Object.keys(SPEC_ERRNOS) as Op[]).map((op) => [op, allowed(op)]));

/** Postconditions every op has: its errno table, and the dispatcher's answers for a caller that cannot run. */
export const COMMON_POSTCONDITIONS: readonly Postcondition[] = [
  post<Event, readonly string[] | null>({
    id: 'post-errno-table',
    doc: 'a failed op returns an errno from its table (SPEC 1.4, 5–8), or one a pending fault injection names (SPEC 7.6)',
    before: (s) => (s.injections.length > 0 ? s.injections.map((i) => i.err) : null),
    check(injected, _s, _v, ev, o) {
      if (!('err' in o) || ERRNO_TABLE.get(ev.op)?.has(o.err) || injected?.includes(o.err)) return null;
      return `${ev.op} failed with ${o.err}, not in its table (${[...(ERRNO_TABLE.get(ev.op) ?? [])].join(', ')}) nor injected`;
    },
  }),
  post<Event, 'dead' | 'stopped' | 'runnable' | 'env'>({
    id: 'post-caller',
    doc: 'an op of a caller that is no live task fails with ESRCH, one of a stopped caller blocks, and only wait blocks a runnable caller (SPEC 1.4)',
    before(s, _v, ev) {
      if (isEnvOp(ev.op)) return 'env';
      const t = s.tasks.get((ev as { by: number }).by);
      return !t || t.state === 'zombie' ? 'dead' : t.state === 'stopped' ? 'stopped' : 'runnable';
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
  (Object.keys(SPEC_ERRNOS) as Op[]).map((op) => [op, [...COMMON_POSTCONDITIONS, ...(BY_OP[op] ?? NONE)]]),
);

/** Every postcondition once, for `kreplay invariants`: the common ones, then by op. */
export const POSTCONDITIONS: readonly Postcondition[] = [...COMMON_POSTCONDITIONS, ...Object.values(BY_OP).flatMap((ps) => ps ?? [])];

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
