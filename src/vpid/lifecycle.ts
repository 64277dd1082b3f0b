import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';

/**
 * A VPS ends when its init is reaped: the VPS and all its mappings disappear (reference: vps_create). Called by
 * the reaper (`release_task`) for every task it removes; the init's zombie is reaped only after
 * every other task of its VPS (reference: exit step 3), so nothing of the VPS is left behind.
 */
export function vpsTaskReaped(ctx: Ctx, task: Task): void {
  if (task.vps === 0) return;
  const vps = ctx.s.vpses.get(task.vps);
  if (vps && vps.init === task.pid) ctx.s.vpses.delete(vps.id);
}
