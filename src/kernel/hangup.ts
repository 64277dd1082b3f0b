import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import { hasStoppedJobs, willBecomeOrphanedPgrp } from './orphan.js';
import { sendSignal } from './signal.js';
import { SIGCONT, SIGHUP } from './signo.js';
import { pgrpMembers } from './tasklist.js';

/*
 * What exit processing sends to a process group it orphans. Apart from orphan.ts's predicates,
 * which signal delivery reads too (job-control stops are discarded in an orphaned pgrp).
 */

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
