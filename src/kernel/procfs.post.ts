import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { post, runnableCaller, show } from './post-util.js';

/**
 * Postconditions of `proc_read` (reference: proc_read, issue 12), restated from the reference:
 * ENOENT for a pid that names no task the caller sees, a state letter that says what the
 * task is, and nothing changed.
 */
type Ev = Extract<Event, { op: 'proc_read' }>;

interface ProcPre {
  ran: boolean;
  /** The target's run state before the event, or null when the pid names no visible task. */
  state: string | null;
  fingerprint: string;
}

function procPre(s: KernelState, ev: Ev): ProcPre {
  const caller = runnableCaller(s, ev.by);
  const g = caller && ev.pid > 0 ? viewToPid(s, caller, ev.pid) : null;
  const t = g === null ? undefined : s.tasks.get(g);
  const seen = caller && t && isVisible(s, caller, t) ? t : null;
  return { ran: caller !== undefined, state: seen ? seen.state : null, fingerprint: fingerprint(s) };
}

/** What a read must leave alone: every task's run state, parent, tracer and css_set. */
function fingerprint(s: KernelState): string {
  return [...s.tasks.values()].map((t) => `${t.pid}:${t.state}:${t.parent}:${t.tracer}:${t.cssSet}:${t.stopReport}`).join(' ');
}

export const PROC_READ_POSTCONDITIONS = [
  post<Ev, ProcPre>({
    id: 'post-proc-read-result',
    doc: 'proc_read fails with ENOENT when pid names no task the caller can see, and otherwise only for a cgroup line of a subsystem no mounted hierarchy binds; a stat state is Z exactly for a zombie and T or t exactly for a stopped task (reference: proc_read)',
    before: (s, _v, ev) => procPre(s, ev),
    check(pre, _s, _v, ev, o) {
      if (!pre.ran) return null;
      if (pre.state === null) return show(o) === show({ err: 'ENOENT' }) ? null : `${show(o)}, expected ENOENT`;
      if (ev.file === 'cgroup' && show(o) === show({ err: 'ENOENT' })) return null;
      if (!('ret' in o) || typeof o.ret !== 'string') return `${show(o)}, expected a string`;
      if (ev.file !== 'stat' || ev.field !== 'state') return null;
      const want = pre.state === 'zombie' ? ['Z'] : pre.state === 'stopped' ? ['T', 't'] : ['R', 'S'];
      return want.includes(o.ret) ? null : `state ${o.ret} for a ${pre.state} task`;
    },
  }),
  post<Ev, ProcPre>({
    id: 'post-proc-read-reads-only',
    doc: "proc_read changes nothing: every task keeps its run state, parent, tracer, css_set and unreported stop (reference: proc_read)",
    before: (s, _v, ev) => procPre(s, ev),
    check: (pre, s) => (fingerprint(s) === pre.fingerprint ? null : 'the tasks changed'),
  }),
];
