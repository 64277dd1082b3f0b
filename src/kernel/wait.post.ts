import type { WaitReport } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { viewToPid, pidToView } from '../vpid/view.js';
import { post, runnableCaller, show } from './post-util.js';
import { zombieReportable } from './reap.js';

type WaitEv = Extract<Event, { op: 'wait' }>;

interface WaitPre {
  /** The caller was runnable (else the dispatcher answered and no wait happened). */
  ran: boolean;
  /** Eligible tasks (reference: wait): global pid -> whether it has something to report to the caller. */
  eligible: Map<number, boolean>;
  /** Reportable tasks by the pid the caller sees, with their global pid and whether the caller is the real parent. */
  views: Map<number, { pid: number; parent: boolean }>;
}

/**
 * The caller's eligible tasks restated from reference: wait (2.6.18 `eligible_child`): its children and the
 * tasks it traces, filtered by the selector (pid > 0: that task; -1: all; 0: the caller's pgrp;
 * < -1: pgrp -pid, numbers in the caller's view); each with whether it is reportable now: a
 * zombie not traced by another task (a VPS init's only once its VPS is empty), a stop not yet
 * reported (WUNTRACED or the tracer), a continuation not yet reported (WCONTINUED).
 */
function waitPre(s: KernelState, _v: SemanticVersion, ev: WaitEv): WaitPre {
  const caller = runnableCaller(s, ev.by);
  const eligible = new Map<number, boolean>();
  const views = new Map<number, { pid: number; parent: boolean }>();
  if (!caller) return { ran: false, eligible, views };
  const pid = ev.pid ?? -1;
  const named = pid === -1 || pid === 0 ? null : viewToPid(s, caller, Math.abs(pid));
  const wanted = (t: Task): boolean =>
    pid === -1 ? true : pid === 0 ? t.pgid === caller.pgid : named === null ? false : pid > 0 ? t.pid === named : t.pgid === named;
  const consider = (t: Task | undefined): void => {
    if (!t || eligible.has(t.pid) || !wanted(t)) return;
    const tracer = t.tracer === caller.pid;
    const reportable =
      (t.state === 'zombie' && (t.tracer === 0 || tracer) && zombieReportable(s, t)) ||
      (t.state === 'stopped' && t.stopReport !== 0 && (ev.untraced === true || tracer)) ||
      (t.state !== 'zombie' && t.contReport && ev.continued === true);
    eligible.set(t.pid, reportable);
    if (reportable) views.set(pidToView(s, caller, t.pid), { pid: t.pid, parent: t.parent === caller.pid });
  };
  for (const c of caller.children) consider(s.tasks.get(c));
  for (const c of caller.traced) consider(s.tasks.get(c));
  return { ran: true, eligible, views };
}

const someReportable = (p: WaitPre): boolean => p.views.size > 0;

export const WAIT_POSTCONDITIONS = [
  post<WaitEv, WaitPre>({
    id: 'post-wait-echild',
    doc: 'wait fails with ECHILD exactly when the caller has no eligible child (reference: wait)',
    before: waitPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.ran) return null;
      const echild = 'err' in o && o.err === 'ECHILD';
      if (echild && pre.eligible.size > 0) return `ECHILD with ${pre.eligible.size} eligible children (${show([...pre.eligible.keys()])})`;
      if (!echild && pre.eligible.size === 0) return `${show(o)} with no eligible child (ECHILD expected)`;
      return null;
    },
  }),
  post<WaitEv, WaitPre>({
    id: 'post-wait-nohang',
    doc: 'wait returns 0 under WNOHANG, and blocks without it, exactly when an eligible child exists and none is reportable (reference: wait)',
    before: waitPre,
    check(pre, _s, _v, ev, o) {
      if (!pre.ran || pre.eligible.size === 0) return null;
      const idle = ('ret' in o && o.ret === 0) || 'blocked' in o;
      if (idle && someReportable(pre)) return `${show(o)} while ${show([...pre.views.keys()])} had something to report`;
      if (!someReportable(pre)) {
        const want = ev.nohang ? { ret: 0 } : { blocked: true };
        if (show(o) !== show(want)) return `${show(o)} with eligible children and nothing to report (${show(want)} expected)`;
      }
      return null;
    },
  }),
  post<WaitEv, WaitPre>({
    id: 'post-wait-reported',
    doc: 'a pid wait reports is an eligible child that had something to report (reference: wait)',
    before: waitPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.ran || !('ret' in o) || typeof o.ret !== 'object') return null;
      const r = o.ret as WaitReport;
      return pre.views.has(r.pid) ? null : `reported pid ${r.pid}, not a reportable eligible child (${show([...pre.views.keys()])})`;
    },
  }),
  post<WaitEv, WaitPre>({
    id: 'post-wait-consumed',
    doc: 'a reported exit is reaped by the real parent (the task is gone) or detaches a tracer; a reported stop or continuation is not reported again (reference: wait)',
    before: waitPre,
    check(pre, s, _v, ev, o) {
      if (!pre.ran || !('ret' in o) || typeof o.ret !== 'object') return null;
      const r = o.ret as WaitReport;
      const who = pre.views.get(r.pid);
      if (!who) return null;
      const t = s.tasks.get(who.pid);
      if ('exited' in r.status || 'signaled' in r.status) {
        if (who.parent) return t ? `the real parent reaped task ${who.pid}, which is still in the task table` : null;
        return t && t.tracer === ev.by ? `tracer ${ev.by} reported the exit of ${who.pid} and still traces it` : null;
      }
      if ('stopped' in r.status) return t && t.stopReport !== 0 ? `the stop of ${who.pid} was reported and is still pending` : null;
      return t && t.contReport ? `the continuation of ${who.pid} was reported and is still pending` : null;
    },
  }),
];
