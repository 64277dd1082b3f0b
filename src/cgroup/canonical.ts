import type { Json } from '../state/json.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { SemanticVersion } from '../semantics/versions.js';

/** A task's cgroup memberships and effective cpus/mems, as the canonical task shows them. */
export function taskCgroupFields(s: KernelState, v: SemanticVersion, t: Task): { [key: string]: Json } {
  void s; void v; void t;
  return { cgroups: {}, effectiveCpus: [], effectiveMems: [] };
}

/** The cgroup layer's part of the canonical state. */
export function canonicalCgroups(s: KernelState, v: SemanticVersion): { [key: string]: Json } {
  void v;
  return {
    cpusOnline: [...s.cg.cpusOnline].sort((a, b) => a - b),
    memsOnline: [...s.cg.memsOnline].sort((a, b) => a - b),
    hierarchies: [],
    subsystems: [],
    cssSets: [],
  };
}
