import { failure, type Result, success } from '../../reducer/outcome.js';
import type { SemanticVersion } from '../../semantics/versions.js';
import { bitmapParselist } from '../cpulist.js';
import { bitmapParselistRegions } from '../cpulist-regions.js';
import type { SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { type CpusetFlag, type CpusetState, cpusetOf, online, type Resource, sameSet, subset } from './cpuset-state.js';
import { validateChange } from './cpuset-validate.js';

/** The writes to a cpuset's files (2.6.18 / 2.6.33 `update_cpumask`, `update_nodemask`, `update_flag`). */

function commit(env: SubsysEnv, cg: Cgroup, trial: CpusetState): Result<void> {
  const e = validateChange(env, cg, trial);
  if (e) return e;
  // Nothing may fail below here.
  cg.subsys.set(env.name, trial);
  return success(undefined);
}

const possible = (env: SubsysEnv, r: Resource): number => (r === 'cpus' ? env.config.possibleCpus : env.config.possibleMems);

/**
 * 2.6.18 `update_cpumask` / `update_nodemask` (reference: write): parse, intersect with the online set,
 * [mems: unchanged → 0, "Too easy"], empty → ENOSPC, validate_change, set. The top is writable.
 */
function updateMask2006(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  const parsed = bitmapParselist(text, possible(env, r));
  if (!parsed.ok) return parsed;
  const on = online(env, r);
  const list = parsed.value.filter((x) => on.includes(x));
  const cur = cpusetOf(env, cg);
  if (r === 'mems' && sameSet(list, cur.mems)) return success(undefined);
  if (list.length === 0) return failure('ENOSPC', 'cpuset-none-online', r, parsed.value, on);
  return commit(env, cg, { ...cur, [r]: list });
}

/** The list parser of the version: 2.6 `bitmap_parselist` or 6.x's with regions (`cpulist_parse`). */
const parselist = (env: SubsysEnv, text: string, nbits: number): Result<number[]> =>
  env.v.listSyntax === 'regions' ? bitmapParselistRegions(text, nbits) : bitmapParselist(text, nbits);

/**
 * 2.6.33 `update_cpumask` / `update_nodemask` (reference: write), and 6.x's under `cpuset_write_resmask`
 * with the regions parser: the top → EACCES; `""` (after strstrip) is the empty set; parse (6.x:
 * ERANGE at or above nr_cpu_ids / MAX_NUMNODES); not within the online set → EINVAL; [mems:
 * unchanged → 0]; validate_change; set.
 */
function updateMask2009(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  if (cg.parent === null) return failure('EACCES', 'cpuset-top-mask', r);
  const parsed = text === '' ? success<number[]>([]) : parselist(env, text, possible(env, r));
  if (!parsed.ok) return parsed;
  const on = online(env, r);
  if (!subset(parsed.value, on)) return failure('EINVAL', 'cpuset-offline', r, parsed.value, on);
  const cur = cpusetOf(env, cg);
  if (r === 'mems' && sameSet(parsed.value, cur.mems)) return success(undefined);
  return commit(env, cg, { ...cur, [r]: parsed.value });
}

/** The mask write of each `maskWrite` rule: a new rule value is a compile error until it has one. */
const MASK_WRITES: Record<SemanticVersion['maskWrite'], (env: SubsysEnv, cg: Cgroup, r: Resource, text: string) => Result<void>> = {
  'intersect-online': updateMask2006,
  'within-online': updateMask2009,
};

function updateMask(env: SubsysEnv, cg: Cgroup, r: Resource, text: string): Result<void> {
  return MASK_WRITES[env.v.maskWrite](env, cg, r, text);
}

/** `update_cpumask`: a write to `cpus`. */
export const updateCpumask = (env: SubsysEnv, cg: Cgroup, text: string): Result<void> => updateMask(env, cg, 'cpus', text);
/** `update_nodemask`: a write to `mems`. */
export const updateNodemask = (env: SubsysEnv, cg: Cgroup, text: string): Result<void> => updateMask(env, cg, 'mems', text);

/** `update_flag`: validate_change on the trial flags, then set (reference: write). */
export function updateFlag(env: SubsysEnv, cg: Cgroup, flag: CpusetFlag, on: boolean): Result<void> {
  return commit(env, cg, { ...cpusetOf(env, cg), [flag]: on });
}
