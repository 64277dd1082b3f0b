import { errOf, ok } from '../reducer/outcome.js';
import type { TaskHandler } from '../reducer/context.js';
import { attachPid } from './attach-pid.js';
import { resolveCgroup } from './paths.js';

/** `attach` (reference: mkdir), the same as writing `pid` to `tasks`: ENOENT, then ESRCH, then the callbacks. */
export const sysAttach: TaskHandler<'attach'> = (ctx, ev, caller) => {
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return errOf(found);
  const r = attachPid(ctx, found.value.h, found.value.cg, caller, ev.pid);
  return r.ok ? ok(0) : errOf(r);
};
