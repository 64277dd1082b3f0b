import type { Ctx } from '../../reducer/context.js';
import { type Errno, failure, type Result, success } from '../../reducer/outcome.js';
import type { Task } from '../../state/task.js';
import { bitmapParselist, cpulistFormat } from '../cpulist.js';
import type { CgroupSubsys, ControlFile, HotplugChange, HotplugOps, SubsysEnv } from '../subsys.js';
import type { Cgroup, CgroupWorld, SubsysState } from '../types.js';
import { childrenOf, parentOf, rootOf } from '../world.js';

/**
 * cpusets as a subsystem (seed 001 kernel/cpuset.c on 2.6.18; 2.6.33 kernel/cpuset.c), with the
 * 2006 and 2009 rules of SPEC 7.3 chosen by `v.cpusetRules` and `v.hotplug`.
 */
export interface CpusetState {
  cpus: number[];
  mems: number[];
  cpuExclusive: boolean;
  memExclusive: boolean;
  memoryMigrate: boolean;
}
export type CpusetFlag = 'cpuExclusive' | 'memExclusive' | 'memoryMigrate';

const subset = (a: readonly number[], b: readonly number[]): boolean => a.every((x) => b.includes(x));
const intersects = (a: readonly number[], b: readonly number[]): boolean => a.some((x) => b.includes(x));
const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && subset(a, b);
const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
const onlineCpus = (w: CgroupWorld): number[] => sorted(w.cpusOnline);
const onlineMems = (w: CgroupWorld): number[] => sorted(w.memsOnline);

/** This subsystem's state in `cg` (`container_cs` / `cgroup_cs`). */
export function cpusetOf(env: SubsysEnv, cg: Cgroup): CpusetState {
  return cg.subsys.get(env.name) as CpusetState;
}

/** `is_cpuset_subset(p, q)`: cpus and mems of p within q's, and each exclusive flag of p implies q's. */
export function isCpusetSubset(p: CpusetState, q: CpusetState): boolean {
  return (
    subset(p.cpus, q.cpus) &&
    subset(p.mems, q.mems) &&
    (!p.cpuExclusive || q.cpuExclusive) &&
    (!p.memExclusive || q.memExclusive)
  );
}

/**
 * `validate_change(cur, trial)` (seed 001; 2.6.33 adds the last rule): a child not a subset of
 * trial → EBUSY; the top cpuset → ok; trial not a subset of the parent → EACCES; trial or a
 * sibling exclusive and overlapping → EINVAL; [2009] cur has tasks and trial empty cpus or mems → ENOSPC.
 */
export function validateChange(env: SubsysEnv, cur: Cgroup, trial: CpusetState): Errno | null {
  const h = env.hierarchy;
  if (childrenOf(h, cur).some((c) => !isCpusetSubset(cpusetOf(env, c), trial))) return 'EBUSY';
  const parent = parentOf(h, cur);
  if (!parent) return null;
  if (!isCpusetSubset(trial, cpusetOf(env, parent))) return 'EACCES';
  for (const sib of childrenOf(h, parent)) {
    if (sib === cur) continue;
    const c = cpusetOf(env, sib);
    if ((trial.cpuExclusive || c.cpuExclusive) && intersects(trial.cpus, c.cpus)) return 'EINVAL';
    if ((trial.memExclusive || c.memExclusive) && intersects(trial.mems, c.mems)) return 'EINVAL';
  }
  if (env.v.cpusetRules === '2009' && cur.taskCount > 0 && (trial.cpus.length === 0 || trial.mems.length === 0)) return 'ENOSPC';
  return null;
}

function commit(env: SubsysEnv, cg: Cgroup, trial: CpusetState): Result<void> {
  const e = validateChange(env, cg, trial);
  if (e) return failure(e);
  cg.subsys.set(env.name, trial);
  return success(undefined);
}

type Resource = 'cpus' | 'mems';
const possible = (env: SubsysEnv, r: Resource): number => (r === 'cpus' ? env.config.possibleCpus : env.config.possibleMems);
const online = (env: SubsysEnv, r: Resource): number[] => (r === 'cpus' ? onlineCpus(env.world) : onlineMems(env.world));

/**
 * 2.6.18 `update_cpumask` / `update_nodemask` (SPEC 7.3.2): parse, intersect with the online set,
 * [mems: unchanged → 0, "Too easy"], empty → ENOSPC, validate_change, set. The top is writable.
 */
function updateMask2006(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  const parsed = bitmapParselist(text, possible(env, r));
  if (!parsed.ok) return parsed;
  const on = online(env, r);
  const list = parsed.value.filter((x) => on.includes(x));
  const cur = cpusetOf(env, cg);
  if (r === 'mems' && sameSet(list, cur.mems)) return success(undefined);
  if (list.length === 0) return failure('ENOSPC');
  return commit(env, cg, { ...cur, [r]: list });
}

/**
 * 2.6.33 `update_cpumask` / `update_nodemask` (SPEC 7.3.3): the top → EACCES; `""` (after
 * strstrip) is the empty set; parse; not within the online set → EINVAL; [mems: unchanged → 0];
 * validate_change; set.
 */
function updateMask2009(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  if (cg.parent === null) return failure('EACCES');
  const parsed = text === '' ? success<number[]>([]) : bitmapParselist(text, possible(env, r));
  if (!parsed.ok) return parsed;
  if (!subset(parsed.value, online(env, r))) return failure('EINVAL');
  const cur = cpusetOf(env, cg);
  if (r === 'mems' && sameSet(parsed.value, cur.mems)) return success(undefined);
  return commit(env, cg, { ...cur, [r]: parsed.value });
}

function updateMask(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  return env.v.cpusetRules === '2006' ? updateMask2006(env, cg, r, text) : updateMask2009(env, cg, r, text);
}

/** `update_cpumask`: a write to `cpus`. */
export const updateCpumask = (env: SubsysEnv, cg: Cgroup, text: string): Result<void> => updateMask(env, cg, 'cpus', text);
/** `update_nodemask`: a write to `mems`. */
export const updateNodemask = (env: SubsysEnv, cg: Cgroup, text: string): Result<void> => updateMask(env, cg, 'mems', text);

/** `update_flag`: validate_change on the trial flags, then set (SPEC 7.3). */
export function updateFlag(env: SubsysEnv, cg: Cgroup, flag: CpusetFlag, on: boolean): Result<void> {
  return commit(env, cg, { ...cpusetOf(env, cg), [flag]: on });
}

/** `cpuset_can_attach`: a cpuset with no cpus or no mems cannot take tasks. */
export function canAttach(env: SubsysEnv, cg: Cgroup): Errno | null {
  const cs = cpusetOf(env, cg);
  return cs.cpus.length === 0 || cs.mems.length === 0 ? 'ENOSPC' : null;
}

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

/** `cpuset_create`: the top gets every online cpu and mem and both exclusive flags; others start empty. */
function create(env: SubsysEnv, cg: Cgroup): Result<SubsysState> {
  const top = cg.parent === null;
  const cs: CpusetState = {
    cpus: top ? onlineCpus(env.world) : [],
    mems: top ? onlineMems(env.world) : [],
    cpuExclusive: top,
    memExclusive: top,
    memoryMigrate: false,
  };
  return success(cs);
}

const flagFile = (name: string, flag: CpusetFlag): ControlFile => ({
  name,
  kind: 'u64',
  read: (env, cg) => (cpusetOf(env, cg)[flag] ? '1\n' : '0\n'),
  write: (_ctx: Ctx, env, cg, n) => updateFlag(env, cg, flag, n !== 0n),
});
const maskFile = (r: Resource, update: typeof updateCpumask): ControlFile => ({
  name: r,
  kind: 'string',
  maxWriteLen: (c) => 100 + 6 * (r === 'cpus' ? c.possibleCpus : c.possibleMems),
  read: (env, cg) => cpulistFormat(cpusetOf(env, cg)[r]) + '\n',
  write: (_ctx: Ctx, env, cg, text) => update(env, cg, text),
});
const FILES: ControlFile[] = [
  maskFile('cpus', updateCpumask),
  maskFile('mems', updateNodemask),
  flagFile('cpu_exclusive', 'cpuExclusive'),
  flagFile('mem_exclusive', 'memExclusive'),
  flagFile('memory_migrate', 'memoryMigrate'),
];

/**
 * A task's effective cpus and mems (canonical task fields): per `guarantee_online_*` of its
 * cpuset; every online one when cpusets are not registered; none for a zombie.
 */
function taskFields(env: SubsysEnv, cg: Cgroup | null, task: Task): { effectiveCpus: number[]; effectiveMems: number[] } {
  if (task.state === 'zombie') return { effectiveCpus: [], effectiveMems: [] };
  if (!cg) return { effectiveCpus: onlineCpus(env.world), effectiveMems: onlineMems(env.world) };
  return { effectiveCpus: guaranteeOnline(env, cg, 'cpus'), effectiveMems: guaranteeOnline(env, cg, 'mems') };
}

export const cpusetSubsys: CgroupSubsys = {
  name: 'cpuset',
  create,
  destroy: () => {},
  canAttach: (env, cg) => canAttach(env, cg),
  attach: () => {},
  postAttach: () => {},
  populate: () => FILES,
  allowNoprefix: true,
  hotplug: cpusetHotplug,
  taskFields,
  canonical: (state) => {
    const cs = state as CpusetState;
    return { cpus: [...cs.cpus], mems: [...cs.mems], cpuExclusive: cs.cpuExclusive, memExclusive: cs.memExclusive, memoryMigrate: cs.memoryMigrate };
  },
};
