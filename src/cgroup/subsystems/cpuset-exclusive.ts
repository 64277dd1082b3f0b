import { type Failure, failure } from '../../reducer/outcome.js';
import type { SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { childrenOf } from '../world.js';
import { type CpusetState, cpusetOf, intersects } from './cpuset-state.js';

const overlap = (cur: Cgroup, sib: Cgroup, r: 'cpus' | 'mems', a: readonly number[], b: readonly number[]): Failure =>
  failure('EINVAL', 'cpuset-exclusive-overlap', cur.path, sib.path, r, a.filter((x) => b.includes(x)));

/**
 * The exclusive-sibling rule of `validate_change` (seed 001 / 2.6.18 and 2.6.33 kernel/cpuset.c:
 * "If either I or some sibling (!= me) is exclusive, we can't overlap"): for every sibling of
 * `cur` under `parent`, if trial or the sibling is cpu_exclusive their cpus must not intersect,
 * and likewise mems for mem_exclusive → EINVAL. Its own function so that a test can plant the
 * bug of skipping it (issue 7).
 */
export function exclusiveSiblingsOverlap(env: SubsysEnv, parent: Cgroup, cur: Cgroup, trial: CpusetState): Failure | null {
  for (const sib of childrenOf(env.hierarchy, parent)) {
    if (sib === cur) continue;
    const c = cpusetOf(env, sib);
    if ((trial.cpuExclusive || c.cpuExclusive) && intersects(trial.cpus, c.cpus)) return overlap(cur, sib, 'cpus', trial.cpus, c.cpus);
    if ((trial.memExclusive || c.memExclusive) && intersects(trial.mems, c.mems)) return overlap(cur, sib, 'mems', trial.mems, c.mems);
  }
  return null;
}
