import { cpulistFormat, parseCpus } from '../cgroup/cpulist.js';
import { onlineCpus } from '../cgroup/subsystems/cpuset-state.js';
import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { cpusetCpusAllowed, taskCpusAllowed } from './affinity.js';
import { post, runnableCaller, show } from './post-util.js';

/**
 * Postconditions of `sched_setaffinity` and `sched_getaffinity` (reference: sched_setaffinity),
 * restated from the reference: ESRCH exactly when the pid names no task the caller sees; a set
 * succeeds exactly when the request meets the target's cpuset's cpus and leaves the target on
 * that meeting; a get answers a non-empty list of online cpus and changes nothing.
 */
type SetEv = Extract<Event, { op: 'sched_setaffinity' }>;
type GetEv = Extract<Event, { op: 'sched_getaffinity' }>;

interface AffinityPre {
  ran: boolean;
  /** The target's global pid, or null when the pid names no task the caller sees. */
  target: number | null;
  /** The target's cpuset's cpus before the event. */
  cpuset: number[];
  /** Every task's mask before the event, as text. */
  masks: string;
}

function affinityPre(s: KernelState, v: SemanticVersion, ev: { by: number; pid: number }): AffinityPre {
  const caller = runnableCaller(s, ev.by);
  const g = !caller ? null : ev.pid === 0 ? ev.by : ev.pid > 0 ? viewToPid(s, caller, ev.pid) : null;
  const t = g === null ? undefined : s.tasks.get(g);
  const seen = caller && t && (ev.pid === 0 || isVisible(s, caller, t)) ? t : null;
  return { ran: caller !== undefined, target: seen ? seen.pid : null, cpuset: seen ? cpusetCpusAllowed(s, v, seen) : [], masks: masks(s, v) };
}

const masks = (s: KernelState, v: SemanticVersion): string => [...s.tasks.values()].map((t) => `${t.pid}:${cpulistFormat(taskCpusAllowed(s, v, t))}`).join(' ');
const outcome = (o: object): object => ('ret' in o ? { ret: o.ret } : 'err' in o ? { err: o.err } : o);

export const SCHED_SETAFFINITY_POSTCONDITIONS = [
  post<SetEv, AffinityPre>({
    id: 'post-setaffinity-result',
    doc: "sched_setaffinity is ESRCH when pid names no task the caller sees, EINVAL when the cpus share none with the target's cpuset, else 0 (reference: sched_setaffinity)",
    before: affinityPre,
    check(pre, _s, _v, ev, o) {
      if (!pre.ran) return null;
      const meet = parseCpus(ev.cpus).filter((c) => pre.cpuset.includes(c));
      const want = pre.target === null ? { err: 'ESRCH' } : meet.length === 0 ? { err: 'EINVAL' } : { ret: 0 };
      return show(outcome(o)) === show(want) ? null : `${show(o)}, expected ${show(want)}`;
    },
  }),
  post<SetEv, AffinityPre>({
    id: 'post-setaffinity-mask',
    doc: "after a successful sched_setaffinity the target's mask is the cpus asked for that its cpuset allows; a failed one changes no task's mask (reference: sched_setaffinity)",
    before: affinityPre,
    check(pre, s, v, ev, o) {
      if (!pre.ran) return null;
      if (!('ret' in o)) return masks(s, v) === pre.masks ? null : 'a failed sched_setaffinity changed a mask';
      const t = pre.target === null ? undefined : s.tasks.get(pre.target);
      if (!t) return `target ${String(pre.target)} is gone`;
      const want = cpulistFormat(parseCpus(ev.cpus).filter((c) => pre.cpuset.includes(c)));
      const got = cpulistFormat(taskCpusAllowed(s, v, t));
      return got === want ? null : `mask of ${t.pid} is "${got}", expected "${want}"`;
    },
  }),
] satisfies readonly Postcondition<SetEv>[];

export const SCHED_GETAFFINITY_POSTCONDITIONS = [
  post<GetEv, AffinityPre>({
    id: 'post-getaffinity-result',
    doc: 'sched_getaffinity is ESRCH when pid names no task the caller sees, else a non-empty list of online cpus (reference: sched_getaffinity)',
    before: affinityPre,
    check(pre, s, _v, _ev, o) {
      if (!pre.ran) return null;
      if (pre.target === null) return show(outcome(o)) === show({ err: 'ESRCH' }) ? null : `${show(o)}, expected ESRCH`;
      if (!('ret' in o) || typeof o.ret !== 'string') return `${show(o)}, expected a cpu list`;
      const online = onlineCpus(s.cg);
      const cpus = parseCpus(o.ret);
      return cpus.length > 0 && cpus.every((c) => online.includes(c)) && cpulistFormat(cpus) === o.ret ? null : `"${o.ret}" is not a non-empty list of online cpus ${show(online)}`;
    },
  }),
  post<GetEv, AffinityPre>({
    id: 'post-getaffinity-reads-only',
    doc: "sched_getaffinity changes no task's mask (reference: sched_getaffinity)",
    before: affinityPre,
    check: (pre, s, v) => (!pre.ran || masks(s, v) === pre.masks ? null : 'sched_getaffinity changed a mask'),
  }),
] satisfies readonly Postcondition<GetEv>[];
