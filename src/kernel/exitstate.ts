import type { ExitState, Task } from '../state/task.js';

/** The one state each exit state may advance to (none → exiting → zombie → released). */
const NEXT: Readonly<Record<ExitState, ExitState | null>> = { none: 'exiting', exiting: 'zombie', zombie: 'released', released: null };

/**
 * Moves `t` one step along its way out (gVisor `Task.advanceExitStateLocked`, which panics on any
 * other move; 2.6.18 sets PF_EXITING in `do_exit`, EXIT_ZOMBIE in `exit_notify`, and
 * `release_task` unhashes the zombie). A zombie's run state is `zombie` too. Any other move is a
 * model bug: an internal error, never a kernel errno.
 */
export function advanceExitState(t: Task, to: ExitState): void {
  if (NEXT[t.exitState] !== to) throw new Error(`internal: task ${t.pid} cannot go from exit state ${t.exitState} to ${to}`);
  t.exitState = to;
  if (to === 'zombie') t.state = 'zombie';
}

/** PF_EXITING: `t` is inside `do_exit` (signals to it are dropped; it is not killed twice). */
export const isExiting = (t: Task): boolean => t.exitState === 'exiting';
