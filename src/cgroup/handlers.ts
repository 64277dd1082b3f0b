import { err, errOf, ok } from '../reducer/outcome.js';
import type { TaskHandler } from '../reducer/context.js';
import { attachTarget, attachTask } from './attach.js';
import { resolveCgroup } from './paths.js';

/** `attach` (reference: mkdir), the same as writing `pid` to `tasks`: ENOENT, then ESRCH, then the callbacks. */
export const sysAttach: TaskHandler<'attach'> = (ctx, ev, caller) => {
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return errOf(found);
  const task = attachTarget(ctx, caller, ev.pid);
  if (!task) return err('ESRCH', 'attach-no-task', ev.pid);
  const r = attachTask(ctx, found.value.h, found.value.cg, task);
  return r.ok ? ok(0) : errOf(r);
};
