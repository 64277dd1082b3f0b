import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';

/** A VPS ends when its init is reaped: its mappings disappear (SPEC 8.1). Called by the reaper. */
export function vpsTaskReaped(ctx: Ctx, task: Task): void {
  void ctx; void task;
}
