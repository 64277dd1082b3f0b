import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isExiting } from './exitstate.js';
import { pidNsLevel, taskActivePidNs } from './pidns.js';
import { childReaper } from './vpsinit.js';

/**
 * `find_new_reaper` (6.x kernel/exit.c, child subreapers since 3.4): the children of an exiting
 * `father` go to the nearest ancestor — from its real parent upwards, below the child reaper —
 * that is marked PR_SET_CHILD_SUBREAPER and still has a live thread (`find_alive_thread`: not
 * exiting), in the father's pid namespace; without one, to the child reaper (`childReaper`: the VPS init or global init). Under a
 * version without subreapers no task carries the mark, so this is always the child reaper there.
 */
export function findNewReaper(s: KernelState, father: Task): Task {
  const fallback = childReaper(s, father);
  // only ancestors in the father's own pid namespace (`task_pid(reaper)->level == ns_level`): a
  // father that setns() + fork() put below its parent's namespace looks no further than itself
  const level = (t: Task): number => pidNsLevel(s, taskActivePidNs(s, t.pid));
  const own = level(father);
  for (let p = s.tasks.get(father.parent); p && p !== fallback && p.pid !== 0 && level(p) === own; p = s.tasks.get(p.parent)) {
    if (p.childSubreaper && isAlive(p) && !isExiting(p)) return p;
  }
  return fallback;
}
