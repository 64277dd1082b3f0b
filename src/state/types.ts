import type { CgroupWorld, Injection } from '../cgroup/types.js';
import type { PidNsWorld } from '../kernel/pidns-types.js';
import type { Config } from '../semantics/config.js';
import type { SemanticsName } from '../semantics/versions.js';
import type { Vps, VpsImage } from '../vpid/types.js';
import type { Task } from './task.js';

/**
 * The whole kernel state the reducer derives from the event log. Plain data (Maps, Sets, arrays,
 * objects), so `structuredClone` snapshots it. Fields marked "index" are derived from the rest
 * and kept only for speed; the canonical form (canonical.ts) leaves them out.
 */
export interface KernelState {
  semantics: SemanticsName;
  config: Config;
  /** `last` of alloc_pidmap. */
  last: number;
  tasks: Map<number, Task>;
  /** index: number -> how many tasks use it as pid, pgid or sid (reference: fork "in use"). */
  numUse: Map<number, number>;
  /** index: pgid -> member pids (zombies included). */
  pgrps: Map<number, Set<number>>;
  /** Cluster nodes up (reference: migrate). */
  nodesUp: boolean[];
  cg: CgroupWorld;
  vpses: Map<number, Vps>;
  images: Map<string, VpsImage>;
  /** Pid namespaces below the root one (reference: pid namespaces). */
  pidns: PidNsWorld;
  /** Pending fault injections in queue order (reference: inject). */
  injections: Injection[];
}
