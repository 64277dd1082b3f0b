import type { SubsysEnv } from '../subsys.js';
import type { Cgroup, CgroupWorld } from '../types.js';

/**
 * A cpuset's own state (2.6.18 / 2.6.33 `struct cpuset`: `cpus_allowed`, `mems_allowed` and the
 * flag bits) and the set arithmetic the cpuset rules of reference: write are written in.
 */
export interface CpusetState {
  cpus: number[];
  mems: number[];
  cpuExclusive: boolean;
  memExclusive: boolean;
  memoryMigrate: boolean;
  /** 6.x's other cpuset v1 settings (`v.cpusetV1Files`); absent in the older versions. */
  v1?: CpusetV1;
}
/**
 * The flags and level of 6.x `cpuset1_files[]` beyond the seed's files (`CS_SCHED_LOAD_BALANCE`,
 * `CS_MEM_HARDWALL`, `CS_SPREAD_PAGE`, `CS_SPREAD_SLAB`, `cpuset_memory_pressure_enabled` on the
 * top, `relax_domain_level`).
 */
export interface CpusetV1 {
  schedLoadBalance: boolean;
  memHardwall: boolean;
  memorySpreadPage: boolean;
  memorySpreadSlab: boolean;
  memoryPressureEnabled: boolean;
  relaxDomainLevel: number;
}
export type CpusetFlag = 'cpuExclusive' | 'memExclusive' | 'memoryMigrate';
export type Resource = 'cpus' | 'mems';

/** `cpus_subset` / `nodes_subset`. */
export const subset = (a: readonly number[], b: readonly number[]): boolean => a.every((x) => b.includes(x));
/** `cpus_intersects` / `nodes_intersects`. */
export const intersects = (a: readonly number[], b: readonly number[]): boolean => a.some((x) => b.includes(x));
/** `cpus_equal` / `nodes_equal`. */
export const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && subset(a, b);
const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
/** `cpu_online_map`, ascending. */
export const onlineCpus = (w: CgroupWorld): number[] => sorted(w.cpusOnline);
/** `node_states[N_HIGH_MEMORY]` (2.6.18 `node_online_map`), ascending. */
export const onlineMems = (w: CgroupWorld): number[] => sorted(w.memsOnline);
/** The online set of one resource. */
export const online = (env: SubsysEnv, r: Resource): number[] => (r === 'cpus' ? onlineCpus(env.world) : onlineMems(env.world));

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
