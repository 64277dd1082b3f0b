import { type Failure, failure } from '../../reducer/outcome.js';
import type { SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { childrenOf, parentOf } from '../world.js';
import { exclusiveSiblingsOverlap } from './cpuset-exclusive.js';
import { type CpusetState, cpusetOf, isCpusetSubset } from './cpuset-state.js';

/**
 * `validate_change(cur, trial)` (seed 001; 2.6.33 adds the last rule): a child not a subset of
 * trial → EBUSY; the top cpuset → ok; trial not a subset of the parent → EACCES; trial or a
 * sibling exclusive and overlapping → EINVAL; [2009] cur has tasks and trial empty cpus or mems → ENOSPC.
 */
export function validateChange(env: SubsysEnv, cur: Cgroup, trial: CpusetState): Failure | null {
  const h = env.hierarchy;
  const child = childrenOf(h, cur).find((c) => !isCpusetSubset(cpusetOf(env, c), trial));
  if (child) return failure('EBUSY', 'cpuset-child-not-within', child.path, cur.path, cpusetOf(env, child), trial);
  const parent = parentOf(h, cur);
  if (!parent) return null;
  if (!isCpusetSubset(trial, cpusetOf(env, parent))) return failure('EACCES', 'cpuset-not-within-parent', cur.path, parent.path, trial, cpusetOf(env, parent));
  const overlap = exclusiveSiblingsOverlap(env, parent, cur, trial);
  if (overlap) return overlap;
  if (env.v.emptyWithTasks === 'ENOSPC' && cur.taskCount > 0 && (trial.cpus.length === 0 || trial.mems.length === 0)) {
    return failure('ENOSPC', 'cpuset-empty-with-tasks', cur.path, cur.taskCount, trial.cpus.length === 0 ? 'cpus' : 'mems');
  }
  return null;
}
