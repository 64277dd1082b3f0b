import type { SubsysEnv } from '../cgroup/subsys.js';
import type { Cgroup, CssSet } from '../cgroup/types.js';
import type { KernelState } from '../state/types.js';

/*
 * What the scoped checks keep from event to event (in `Touched.links`, `.online`, `.vpsTasks`):
 * indexes the invariants build from a state and update from what each event touched.
 */

/** The pids of each VPS's tasks in state `s`. */
export interface VpsTasks {
  s: KernelState;
  byVps: Map<number, Set<number>>;
}

/** Whether tasks in each cpuset have non-empty, online effective cpus and mems, for state `s`. */
export interface EffectiveOnline {
  s: KernelState;
  /** The cpuset subsystem's env, null when it is not registered. */
  env: SubsysEnv | null;
  byCgroup: Map<Cgroup | null, boolean>;
}

/**
 * css_sets by the cgroups they link (hierarchy name -> cgroup path), with the sum of their
 * refcounts as last settled (freed css_sets leave the lists lazily).
 */
export interface CgroupLinks {
  s: KernelState;
  /** Every css_set with a lower id that existed at some update is filed (ids come from `nextCssSetId`). */
  nextId: number;
  byPath: Map<string, Map<string, CssSet[]>>;
  /** Each filed css_set's refcount when last settled (0 once freed). */
  refs: Map<CssSet, number>;
  /** hierarchy name -> cgroup path -> the sum of `refs` over the css_sets linking it. */
  sums: Map<string, Map<string, number>>;
}
