import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isExiting } from './exitstate.js';
import { sendSignal } from './signal.js';
import { SIGCONT, SIGHUP } from './signo.js';
import { pgrpMembers } from './tasklist.js';

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

/** `__kill_pg_info(sig, SEND_SIG_PRIV, pgrp)`: every member, ascending pid, from the kernel. */
export function killPgrp(ctx: Ctx, pgid: number, sig: number): void {
  for (const pid of pgrpMembers(ctx.s, pgid)) {
    const t = ctx.s.tasks.get(pid);
    if (t) sendSignal(ctx, null, t, sig);
  }
}

/**
 * The POSIX rule exit applies to a pgrp it orphans (2.6.18 `exit_notify`/`reparent_thread`):
 * when the pgrp is (about to be) orphaned and has a stopped member, SIGHUP then SIGCONT to it,
 * so that no stopped job is left without a shell to continue it.
 */
export function killOrphanedPgrp(ctx: Ctx, pgid: number, ignored: Task | null): void {
  if (!willBecomeOrphanedPgrp(ctx.s, pgid, ignored) || !hasStoppedJobs(ctx.s, pgid)) return;
  killPgrp(ctx, pgid, SIGHUP);
  killPgrp(ctx, pgid, SIGCONT);
}
