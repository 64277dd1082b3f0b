import type { HotplugChange, HotplugOps, SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { childrenOf, parentOf, rootOf } from '../world.js';
import { cpusetOf, intersects, online, onlineCpus, onlineMems, type Resource } from './cpuset-state.js';

/**
 * `guarantee_online_cpus` / `guarantee_online_mems`: the set of the nearest cpuset (itself
 * included) that intersects the online set, intersected with it; all online if none does.
 */
export function guaranteeOnline(env: SubsysEnv, cg: Cgroup, r: Resource): number[] {
  const on = online(env, r);
  for (let c: Cgroup | null = cg; c; c = parentOf(env.hierarchy, c)) {
    const mine = cpusetOf(env, c)[r];
    if (intersects(mine, on)) return mine.filter((x) => on.includes(x));
  }
  return on;
}

/**
 * 2.6.33 hotplug (`common_cpu_mem_hotplug_unplug` + `scan_for_empty_cpusets`): the top follows the
 * online sets; going down, every other cpuset (breadth first) loses what went offline, and the
 * tasks of one left without cpus or mems move to its nearest ancestor that has both
 * (`remove_tasks_in_empty_cpuset`). 2.6.18 (`static`) changes no cpuset.
 */
export function cpusetHotplug(env: SubsysEnv, change: HotplugChange, ops: HotplugOps): void {
  if (env.v.hotplug !== 'track') return;
  const top = rootOf(env.hierarchy);
  const on = { cpus: onlineCpus(env.world), mems: onlineMems(env.world) };
  top.subsys.set(env.name, { ...cpusetOf(env, top), ...on });
  if (change.direction === 'up') return;
  const queue = childrenOf(env.hierarchy, top);
  for (let cp = queue.shift(); cp; cp = queue.shift()) {
    queue.push(...childrenOf(env.hierarchy, cp));
    const cs = cpusetOf(env, cp);
    const next = { ...cs, cpus: cs.cpus.filter((x) => on.cpus.includes(x)), mems: cs.mems.filter((x) => on.mems.includes(x)) };
    cp.subsys.set(env.name, next);
    if (next.cpus.length > 0 && next.mems.length > 0) continue;
    let parent = parentOf(env.hierarchy, cp) as Cgroup;
    while (cpusetOf(env, parent).cpus.length === 0 || cpusetOf(env, parent).mems.length === 0) parent = parentOf(env.hierarchy, parent) as Cgroup;
    if (cp.taskCount > 0) ops.moveTasks(cp, parent);
  }
}
