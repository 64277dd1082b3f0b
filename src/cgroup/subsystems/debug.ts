import { success } from '../../reducer/outcome.js';
import type { CgroupSubsys, ControlFile } from '../subsys.js';
import { cssSetOf } from '../world.js';

/** kernel/cgroup_debug.c (2.6.33 `debug_subsys`): read-only views of the core's bookkeeping. */
const FILES: ControlFile[] = [
  { name: 'taskcount', kind: 'u64', read: (_env, cg) => `${cg.taskCount}\n` },
  { name: 'releasable', kind: 'u64', read: (_env, cg) => (cg.releasable ? '1\n' : '0\n') },
  /** The refcount of the reader's own css_set (`current->cgroups`). */
  { name: 'current_css_set_refcount', kind: 'u64', read: (env, _cg, caller) => `${cssSetOf(env.world, caller)?.refcount ?? 0}\n` },
];

export const debugSubsys: CgroupSubsys = {
  name: 'debug',
  fuzz: { files: FILES.map((f) => f.name) },
  create: () => success(null),
  destroy: () => {},
  populate: () => FILES,
  canonical: () => null,
};
