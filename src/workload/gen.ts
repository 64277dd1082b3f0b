import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Choice } from './choice.js';
import { pick, pickOr, runnableTasks, stoppedTasks, unusedPid, view, visibleTasks, zombieTasks } from './pick.js';

/**
 * The state-aware workload generator's toolkit: what every op's generator (the `gen` of its
 * definition, src/reducer/op.ts) picks callers, pids, nodes and VPSes with. It never imports
 * fast-check or replay, so the op definitions can hold their generators; `generate`
 * (src/workload/table.ts) drives it for anyone with a stream of choices.
 */
/** What an op generator sees: the state, the choice, and whether this event is deliberately wrong. */
export interface Gen {
  s: KernelState;
  v: SemanticVersion;
  c: Choice;
  bad: boolean;
  /** Selector bits not yet used; `next()` hands them out so one choice feeds several picks. */
  next(): number;
  /** GenOptions' `scope`. */
  scope?: number;
}

export interface GenOptions {
  /** Percentage (0..100) of deliberately wrong events. */
  badPercent: number;
  /** Mix `inject` events in (`--faults`). */
  faults: boolean;
  /** Restrict to the ops whose rules the compared versions share (version agreement property). */
  sharedSubset: boolean;
  /** Restrict to cgroup ops and what feeds them (tasks come and go, cpus and mems go off and on). */
  cgroupFocus?: boolean;
  /** In a cgroup-focused run, the first this many events set subsystems up (genSetup) [0]. */
  setupEvents?: number;
  /**
   * Callers from one VPS only (its tasks; a host caller is task 1): a workload inside a VPS whose
   * parents outside it are all task 1 (the checkpoint/restore property, src/fuzz/transparency.ts).
   */
  scope?: number;
}

export const SIGNALS = [15, 19, 18, 9, 20, 1, 17, 2, 21, 22, 10, 28, 0, 23, 64];
export const NAMES = ['a', 'b', 'c', '__proto__', 'constructor', 'd'];
export const HIER_NAMES = ['h1', 'h2', 'container', '__proto__'];
export const IMAGES = ['img1', 'img2', '__proto__'];
export const FAULT_ERRNOS = ['ENOMEM', 'EINVAL', 'EAGAIN', 'ENOSPC', 'EBUSY', 'EPERM'] as const;

/** The caller: a runnable task; a wrong event names a zombie, a stopped task or a dead pid. */
export function caller(g: Gen, hostOnly = false): Task | number {
  const { s } = g;
  if (g.bad && g.c.c % 5 === 0) {
    const sel = g.next();
    const odd = [...zombieTasks(s), ...stoppedTasks(s)].map((t) => t.pid);
    return sel % 3 === 0 || odd.length === 0 ? unusedPid(s, sel) : (pick(odd, sel) as number);
  }
  const init = s.tasks.get(1) as Task;
  if (g.scope !== undefined) return hostOnly ? init : pickOr(runnableTasks(s).filter((t) => t.vps === g.scope), g.c.a, init);
  const all = runnableTasks(s);
  const pool = hostOnly && g.c.c % 7 !== 1 ? all.filter((t) => t.vps === 0) : all;
  return pickOr(pool.length ? pool : all, g.c.a, init);
}
export const byOf = (t: Task | number): number => (typeof t === 'number' ? t : t.pid);
export const callerTask = (g: Gen, t: Task | number): Task => (typeof t === 'number' ? (g.s.tasks.get(1) as Task) : t);

/** A pid argument in the caller's view: a visible task (optionally filtered), or for wrong events a dead number. */
export function targetPid(g: Gen, me: Task, keep: (t: Task) => boolean = () => true): number {
  const sel = g.next();
  if (g.bad && sel % 2 === 0) return unusedPid(g.s, sel);
  const ts = visibleTasks(g.s, me, keep);
  const t = pick(ts, sel);
  return t ? view(g.s, me, t.pid) : unusedPid(g.s, sel);
}

export function pidArgs(g: Gen, me: Task): number {
  const sel = g.next();
  switch (sel % 6) {
    case 0: return 0;
    case 1: return -1;
    // a wrong one names a process group that does not exist (kill-empty-pgrp)
    case 2: return g.bad ? -unusedPid(g.s, sel) : -view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pgid);
    default: return targetPid(g, me);
  }
}

export const upNodes = (s: KernelState): number[] => s.nodesUp.flatMap((up, n) => (up ? [n] : []));
export const downNodes = (s: KernelState): number[] => s.nodesUp.flatMap((up, n) => (up ? [] : [n]));
export const badNode = (g: Gen): number => pickOr([0, g.s.nodesUp.length, -1, ...downNodes(g.s)], g.c.b, 0);
export function nodeArg(g: Gen, sel: number): number {
  return g.bad && sel % 2 ? pickOr([g.s.nodesUp.length, -1, ...downNodes(g.s)], sel >> 1, 99) : pickOr(upNodes(g.s), sel >> 1, 0);
}

export function hotplugArg(g: Gen, online: Set<number>, installed: number, down: boolean): number {
  const all = Array.from({ length: installed }, (_, i) => i);
  const good = all.filter((x) => online.has(x) === down);
  if (g.bad || good.length === 0) return pickOr([installed, -1, ...all.filter((x) => online.has(x) !== down)], g.c.b, installed);
  return pickOr(good, g.c.b, 0);
}

export function vpsArg(g: Gen): number {
  const ids = [...g.s.vpses.keys()].sort((a, b) => a - b);
  return g.bad ? pickOr([0, 99, ...ids], g.c.b, 99) : pickOr(ids, g.c.b, 1);
}
