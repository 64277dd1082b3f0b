import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isExiting } from './exitstate.js';

/**
 * 2.6.18 `will_become_orphaned_pgrp(pgrp, ignored_task)` (seed 002 E.1/E.3/E.7): the pgrp is
 * orphaned unless some member — other than `ignored`, not a zombie, and whose real parent is not
 * global init — has a real parent in a different pgrp of the same session.
 */
export function willBecomeOrphanedPgrp(s: KernelState, pgid: number, ignored: Task | null): boolean {
  const members = s.pgrps.get(pgid);
  if (!members) return true;
  for (const pid of members) {
    const p = s.tasks.get(pid);
    if (!p || p === ignored || p.state === 'zombie' || p.parent === 1) continue;
    const parent = s.tasks.get(p.parent);
    if (parent && parent.pgid !== pgid && parent.sid === p.sid) return false;
  }
  return true;
}

/** `is_orphaned_pgrp`: will_become_orphaned_pgrp with nothing ignored. */
export const isOrphanedPgrp = (s: KernelState, pgid: number): boolean => willBecomeOrphanedPgrp(s, pgid, null);

/** `has_stopped_jobs`: a live member is stopped (a task already on its way out no longer counts). */
export function hasStoppedJobs(s: KernelState, pgid: number): boolean {
  const members = s.pgrps.get(pgid);
  if (!members) return false;
  for (const pid of members) {
    const p = s.tasks.get(pid);
    if (p && p.state === 'stopped' && !isExiting(p)) return true;
  }
  return false;
}
