import type { TaskHandler } from '../reducer/context.js';
import { defineOp } from '../reducer/op.js';
import { err, ok } from '../reducer/outcome.js';
import { byOf, caller } from '../workload/gen.js';
import { PRCTL_POSTCONDITIONS } from './subreaper.post.js';

/**
 * `prctl {by, option, arg?}` (6.x kernel/sys.c `sys_prctl`): PR_SET_CHILD_SUBREAPER sets the
 * caller's `signal->is_child_subreaper` to `!!arg2` and returns 0; PR_GET_CHILD_SUBREAPER returns
 * the flag (the kernel stores it at `*arg2` and returns 0; the trace language returns it). Before
 * 3.4 (`childSubreaper: false`) both options are unknown: EINVAL. The kernel's
 * `propagate_has_child_subreaper` only marks descendants for a faster walk, which
 * `findNewReaper` does in full, so nothing else changes.
 */
export const sysPrctl: TaskHandler<'prctl'> = (ctx, ev, caller) => {
  if (!ctx.v.childSubreaper) return err('EINVAL', 'prctl-unknown-option', ev.option);
  if (ev.option === 'get_child_subreaper') return ok(caller.childSubreaper ? 1 : 0);
  // Nothing may fail below here.
  const on = (ev.arg ?? 1) !== 0;
  if (caller.childSubreaper !== on) {
    ctx.record.task(caller);
    caller.childSubreaper = on;
  }
  return ok(0);
};

export const prctlOp = defineOp({
  name: 'prctl',
  env: false,
  handler: sysPrctl,
  post: PRCTL_POSTCONDITIONS,
  models: 'sys_prctl PR_SET_CHILD_SUBREAPER / PR_GET_CHILD_SUBREAPER (3.4; 6.18 kernel/sys.c), find_new_reaper (6.18 kernel/exit.c)',
  returns: '0 for `set_child_subreaper`; the flag (0 or 1) for `get_child_subreaper`',
  args: { option: '`set_child_subreaper` or `get_child_subreaper`', arg: 'for `set_child_subreaper`: nonzero marks the caller a child subreaper, 0 clears it (default 1); the mark is not inherited by children' },
  effect: 'scoped',
  rules: ['childSubreaper'],
  succeedsIf: { childSubreaper: true },
  // a version before 3.4 does not know the option
  errnos: ['ESRCH', { errno: 'EINVAL', if: { childSubreaper: false } }],
  reasons: [{ reason: 'prctl-unknown-option', if: { childSubreaper: false } }],
  gen: [{ weight: 2, make: (g) => { const t = caller(g); const sel = g.next();
    if (sel % 3 === 0) return { op: 'prctl', by: byOf(t), option: 'get_child_subreaper' };
    return { op: 'prctl', by: byOf(t), option: 'set_child_subreaper', arg: sel % 3 === 1 ? 1 : (sel >> 2) % 2 }; } }],
});
