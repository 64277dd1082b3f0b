import type { Ctx } from '../../reducer/context.js';
import { failure, type Result, success } from '../../reducer/outcome.js';
import type { ControlFile, SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { type CpusetV1, cpusetOf } from './cpuset-state.js';
import { validateChange } from './cpuset-validate.js';

/**
 * 6.x cpuset v1 files beyond the seed's (kernel/cgroup/cpuset-v1.c `cpuset1_files[]`, under
 * `v.cpusetV1Files`): `sched_load_balance` (1 for a new cpuset), `mem_hardwall`,
 * `memory_spread_page` and `memory_spread_slab` (a new cpuset copies its parent's, 6.18
 * `cpuset_css_online`), flags written through `kstrtoull` and `update_flag`; the read-only
 * `memory_pressure` (0: nothing is measured, a write → EINVAL); `memory_pressure_enabled` on the
 * top cpuset only (`CFTYPE_ONLY_ON_ROOT`); `sched_relax_domain_level`, -1 at first, written through
 * `kstrtoll`, -1 up to the machine's `sched_domain_level_max + 1` (`update_relax_domain_level`, RELAX_DOMAIN_LEVEL_MAX).
 */

/** A new cpuset's settings: the defaults, with the spread flags of its parent (null for the top). */
export function createV1(parent: CpusetV1 | undefined): CpusetV1 {
  return {
    schedLoadBalance: true,
    memHardwall: false,
    memorySpreadPage: parent?.memorySpreadPage ?? false,
    memorySpreadSlab: parent?.memorySpreadSlab ?? false,
    memoryPressureEnabled: false,
    relaxDomainLevel: -1,
  };
}

/**
 * `sched_domain_level_max + 1` of the test machine (2 cpus, one package): levels -1..2 are
 * accepted, 3 is EINVAL (traces/kernel/cgroup-cpuset-v1-files.json). It depends on the machine's
 * topology, not on the kernel version.
 */
export const RELAX_DOMAIN_LEVEL_MAX = 2;

const v1Of = (env: SubsysEnv, cg: Cgroup): CpusetV1 => cpusetOf(env, cg).v1 ?? createV1(undefined);

/** `update_flag` for a v1 flag: validate_change on the trial, then set. */
function updateV1(env: SubsysEnv, cg: Cgroup, patch: Partial<CpusetV1>): Result<void> {
  const cur = cpusetOf(env, cg);
  const trial = { ...cur, v1: { ...v1Of(env, cg), ...patch } };
  const e = validateChange(env, cg, trial);
  if (e) return e;
  // Nothing may fail below here.
  cg.subsys.set(env.name, trial);
  return success(undefined);
}

type V1Flag = 'schedLoadBalance' | 'memHardwall' | 'memorySpreadPage' | 'memorySpreadSlab' | 'memoryPressureEnabled';
const v1Flag = (name: string, flag: V1Flag): ControlFile => ({
  name,
  kind: 'u64',
  read: (env, cg) => (v1Of(env, cg)[flag] ? '1\n' : '0\n'),
  write: (_ctx: Ctx, env, cg, n) => updateV1(env, cg, { [flag]: n !== 0n }),
});

const relaxDomainLevel: ControlFile = {
  name: 'sched_relax_domain_level',
  kind: 's64',
  read: (env, cg) => `${v1Of(env, cg).relaxDomainLevel}\n`,
  write: (_ctx: Ctx, env, cg, n) => {
    const max = RELAX_DOMAIN_LEVEL_MAX;
    if (n < -1n || n > BigInt(max)) return failure('EINVAL', 'cpuset-relax-level', String(n), max);
    return updateV1(env, cg, { relaxDomainLevel: Number(n) });
  },
};

const FILES: ControlFile[] = [
  v1Flag('sched_load_balance', 'schedLoadBalance'),
  relaxDomainLevel,
  v1Flag('mem_hardwall', 'memHardwall'),
  v1Flag('memory_spread_page', 'memorySpreadPage'),
  v1Flag('memory_spread_slab', 'memorySpreadSlab'),
  { name: 'memory_pressure', kind: 'u64', read: () => '0\n' },
];
const ROOT_FILES: ControlFile[] = [...FILES, v1Flag('memory_pressure_enabled', 'memoryPressureEnabled')];

/** The v1 files of `cg` (the top has `memory_pressure_enabled` too). */
export const cpusetV1Files = (cg: Cgroup | undefined): ControlFile[] => (cg?.parent === null ? ROOT_FILES : FILES);
