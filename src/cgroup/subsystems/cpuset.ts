import type { Ctx } from '../../reducer/context.js';
import { type Failure, failure, type Result, success } from '../../reducer/outcome.js';
import type { Task } from '../../state/task.js';
import { cpulistFormat, cpulistSample } from '../cpulist.js';
import type { CgroupSubsys, ControlFile, SubsysEnv } from '../subsys.js';
import type { Cgroup, CgroupWorld, Hierarchy, SubsysState } from '../types.js';
import { childrenOf, taskCgroupIn } from '../world.js';
import { cpusetHotplug, guaranteeOnline } from './cpuset-hotplug.js';
import { type CpusetFlag, type CpusetState, cpusetOf, onlineCpus, onlineMems, type Resource } from './cpuset-state.js';
import { updateCpumask, updateFlag, updateNodemask } from './cpuset-update.js';
import { createV1, cpusetV1Files } from './cpuset-v1.js';

/**
 * cpusets as a subsystem (seed 001 kernel/cpuset.c on 2.6.18; 2.6.33 kernel/cpuset.c), with the
 * 2006 and 2009 rules of reference: write chosen by `v.maskWrite`, `v.emptyWithTasks` and `v.hotplug`. The rules live in
 * one file per concern: state and subsets (`cpuset-state`), `validate_change` (`cpuset-validate`,
 * its exclusive-sibling rule in `cpuset-exclusive`), the file writes (`cpuset-update`), hotplug
 * and `guarantee_online_*` (`cpuset-hotplug`).
 */
export type { CpusetFlag, CpusetState } from './cpuset-state.js';
export { cpusetOf, isCpusetSubset } from './cpuset-state.js';
export { validateChange } from './cpuset-validate.js';
export { exclusiveSiblingsOverlap } from './cpuset-exclusive.js';
export { updateCpumask, updateFlag, updateNodemask } from './cpuset-update.js';
export { cpusetHotplug, guaranteeOnline } from './cpuset-hotplug.js';

/** `cpuset_can_attach`: a cpuset with no cpus or no mems cannot take tasks. */
export function canAttach(env: SubsysEnv, cg: Cgroup): Failure | null {
  const cs = cpusetOf(env, cg);
  if (cs.cpus.length === 0) return failure('ENOSPC', 'cpuset-cannot-attach', cg.path, 'cpus');
  return cs.mems.length === 0 ? failure('ENOSPC', 'cpuset-cannot-attach', cg.path, 'mems') : null;
}

/**
 * 6.x `cpuset_css_online` with CGRP_CPUSET_CLONE_CHILDREN: the new cpuset copies its parent's cpus
 * and mems, unless a sibling is cpu or mem exclusive (then it starts empty); null when not cloned.
 */
function clonedMasks(env: SubsysEnv, cg: Cgroup): { cpus: number[]; mems: number[] } | null {
  if (!cg.cloneChildren || cg.parent === null) return null;
  const parent = env.hierarchy.cgroups.get(cg.parent);
  if (!parent) return null;
  if (childrenOf(env.hierarchy, parent).some((sib) => cpusetOf(env, sib).cpuExclusive || cpusetOf(env, sib).memExclusive)) return null;
  const p = cpusetOf(env, parent);
  return { cpus: [...p.cpus], mems: [...p.mems] };
}

/** The parent's cpuset state, if `cg` has a parent. */
const parentOf = (env: SubsysEnv, cg: Cgroup): CpusetState | undefined => (cg.parent === null ? undefined : (env.hierarchy.cgroups.get(cg.parent)?.subsys.get(env.name) as CpusetState | undefined));

/** `cpuset_create`: the top gets every online cpu and mem and both exclusive flags; others start empty (or cloned, 6.x). */
function create(env: SubsysEnv, cg: Cgroup): Result<SubsysState> {
  const top = cg.parent === null;
  const cloned = clonedMasks(env, cg);
  const cs: CpusetState = {
    cpus: top ? onlineCpus(env.world) : (cloned?.cpus ?? []),
    mems: top ? onlineMems(env.world) : (cloned?.mems ?? []),
    cpuExclusive: top,
    memExclusive: top,
    memoryMigrate: false,
    ...(env.v?.cpusetV1Files ? { v1: createV1(parentOf(env, cg)?.v1) } : {}),
  };
  return success(cs);
}

const flagFile = (name: string, flag: CpusetFlag): ControlFile => ({
  name,
  kind: 'u64',
  read: (env, cg) => (cpusetOf(env, cg)[flag] ? '1\n' : '0\n'),
  write: (_ctx: Ctx, env, cg, n) => updateFlag(env, cg, flag, n !== 0n),
});
/**
 * `cpuset_attach` (2.6.18 `set_cpus_allowed(tsk, guarantee_online_cpus(cs))`, 2.6.33
 * `set_cpus_allowed_ptr`): the task's mask becomes its new cpuset's cpus, so what
 * `sched_setaffinity` gave it is gone. 6.x (`reapplied`) keeps the request (`user_cpus_ptr`) and
 * derives the mask from it (src/kernel/affinity.ts). The caller has recorded the task.
 */
function cpusetAttach(env: SubsysEnv, task: Task): void {
  if (env.v?.affinityOnCpusetChange !== 'reapplied') task.affinity = null;
}

/**
 * What a write to `cpus` does to the masks of the cpuset's tasks. 2.6.33 `update_cpumask` →
 * `update_tasks_cpumask` (`reset`): every task gets the cpuset's cpus, forgetting a
 * `sched_setaffinity` mask. 2.6.18 (`reset-on-attach`): `update_cpumask` only rebuilds sched
 * domains, so every task keeps the mask it had, `old` (the cpuset's cpus as `cpuset_attach` gave
 * them) for one that never asked. 6.x reapplies the request (affinity.ts): nothing to store.
 */
function updateTasksCpumask(ctx: Ctx, env: SubsysEnv, cg: Cgroup, old: number[]): void {
  const rule = env.v.affinityOnCpusetChange;
  if (rule === 'reapplied') return;
  for (const t of ctx.s.tasks.values()) {
    if (t.state === 'zombie' || taskCgroupIn(ctx.s.cg, env.hierarchy, t) !== cg) continue;
    if (rule === 'reset' ? t.affinity === null : t.affinity !== null) continue;
    ctx.record.task(t);
    t.affinity = rule === 'reset' ? null : [...old];
  }
}

const maskFile = (r: Resource, update: typeof updateCpumask): ControlFile => ({
  name: r,
  kind: 'string',
  maxWriteLen: (c, v) => 100 + 6 * (r === 'cpus' ? (v.nrCpus ?? c.possibleCpus) : c.possibleMems),
  read: (env, cg) => cpulistFormat(cpusetOf(env, cg)[r]) + '\n',
  write: (ctx: Ctx, env, cg, text) => {
    const old = guaranteeOnline(env, cg, 'cpus');
    const done = update(env, cg, text);
    // Nothing may fail below here.
    if (done.ok && r === 'cpus') updateTasksCpumask(ctx, env, cg, old);
    return done;
  },
});
const FILES: ControlFile[] = [
  maskFile('cpus', updateCpumask),
  maskFile('mems', updateNodemask),
  flagFile('cpu_exclusive', 'cpuExclusive'),
  flagFile('mem_exclusive', 'memExclusive'),
  flagFile('memory_migrate', 'memoryMigrate'),
];
/**
 * 6.x `cpuset1_files[]` `effective_cpus` / `effective_mems` (`v.effectiveFiles`): read-only; on the
 * legacy hierarchy the effective masks are the configured ones ("The user-configured masks are
 * always the same with effective masks").
 */
const effectiveFile = (r: Resource): ControlFile => ({
  name: `effective_${r}`,
  kind: 'string',
  read: (env, cg) => cpulistFormat(cpusetOf(env, cg)[r]) + '\n',
});
const FILES_6 = [...FILES, effectiveFile('cpus'), effectiveFile('mems')];


/**
 * A task's effective cpus and mems (canonical task fields): per `guarantee_online_*` of its
 * cpuset; every online one when cpusets are not registered; none for a zombie.
 */
function taskFields(env: SubsysEnv, cg: Cgroup | null, task: Task): { effectiveCpus: number[]; effectiveMems: number[] } {
  if (task.state === 'zombie') return { effectiveCpus: [], effectiveMems: [] };
  if (!cg) return { effectiveCpus: onlineCpus(env.world), effectiveMems: onlineMems(env.world) };
  return { effectiveCpus: guaranteeOnline(env, cg, 'cpus'), effectiveMems: guaranteeOnline(env, cg, 'mems') };
}

/**
 * A cpus or mems list to write: a third of the time the parent's or a sibling's list (within the
 * parent, so past EACCES, and overlapping the sibling, where validate_change's exclusive-sibling
 * rule decides), else a subset of the online set. Flags: undefined ("0" or "1").
 */
const RELAX_SAMPLES = ['-1', '0', '2', '3', '-2', '9'] as const;

function sampleValue(world: CgroupWorld, h: Hierarchy, path: string, file: string, sel: number): string | undefined {
  // linux-6's v1 file (cpusetV1Files): -1 up to the machine's level, and past it
  if (file === 'sched_relax_domain_level') return RELAX_SAMPLES[sel % RELAX_SAMPLES.length];
  if (file !== 'cpus' && file !== 'mems') return undefined;
  if (sel % 3 === 1) {
    const rel = relativeList(h, path, file, sel >> 2);
    if (rel !== null) return rel;
  }
  return cpulistSample(file === 'cpus' ? world.cpusOnline : world.memsOnline, sel);
}

function relativeList(h: Hierarchy, path: string, r: Resource, sel: number): string | null {
  const cg = h.cgroups.get(path);
  const parent = cg?.parent != null ? h.cgroups.get(cg.parent) : undefined;
  if (!cg || !parent || !h.subsystems.includes('cpuset')) return null;
  const of = (p: string): number[] => (h.cgroups.get(p)?.subsys.get('cpuset') as CpusetState | undefined)?.[r] ?? [];
  const lists = [parent.path, ...parent.children.filter((p) => p !== path)].map(of).filter((xs) => xs.length > 0);
  return lists.length ? cpulistFormat(lists[sel % lists.length] as number[]) : null;
}

export const cpusetSubsys: CgroupSubsys = {
  name: 'cpuset',
  fuzz: {
    files: ['cpus', 'mems', 'cpus', 'mems', 'cpu_exclusive', 'mem_exclusive', 'memory_migrate'],
    filesUnder: (v) => (v.cpusetV1Files ? ['sched_relax_domain_level'] : []),
    value: sampleValue,
  },
  create,
  destroy: () => {},
  canAttach: (env, cg) => canAttach(env, cg),
  attach: (env, _cg, _old, task) => cpusetAttach(env, task),
  postAttach: () => {},
  // (`env.v` is absent where a caller only lists the files, as the fuzz samples' test does)
  populate: (env, cg) => [...(env.v?.effectiveFiles ? FILES_6 : FILES), ...(env.v?.cpusetV1Files ? cpusetV1Files(cg) : [])],
  allowNoprefix: true,
  hotplug: cpusetHotplug,
  taskFields,
  canonical: (state) => {
    const cs = state as CpusetState;
    // the v1 settings only where they exist (linux-6), so the older versions keep their shape and hashes
    return { cpus: [...cs.cpus], mems: [...cs.mems], cpuExclusive: cs.cpuExclusive, memExclusive: cs.memExclusive, memoryMigrate: cs.memoryMigrate, ...(cs.v1 ? { v1: { ...cs.v1 } } : {}) };
  },
};
