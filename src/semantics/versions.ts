import { BadInputError } from '../errors.js';
import type { SemanticsName } from '../trace/schema-types.js';
import type { Config } from './config.js';

export type { SemanticsName };

/**
 * A semantic version (reference: Semantic versions): a named preset of rules and defaults. The reducer reads rules from
 * here and never compares version names, so a later version (e.g. `linux-6`) is one more entry.
 */
export interface SemanticVersion {
  name: SemanticsName;
  summary: string;
  defaults: Config;
  /** `single`: the one always-mounted `container` hierarchy (seed 001); `multi`: mount/umount and a dummy root (seed 003). */
  hierarchies: 'single' | 'multi';
  /** Name of the always-mounted hierarchy in the `single` model. */
  singleHierarchyName: string;
  /** `register`: `register_subsys` (seed 001); `modular`: builtins plus `load_subsys`/`unload_subsys` (seed 003). */
  registration: 'register' | 'modular';
  /**
   * A write to a cpuset's `cpus` or `mems` (reference: write / 7.3.3): `intersect-online` (2.6.18
   * update_cpumask: the list is cut to the online set, empty → ENOSPC, the top is writable) or
   * `within-online` (2.6.33: the top → EACCES, `""` is the empty set, outside the online set → EINVAL).
   */
  maskWrite: 'intersect-online' | 'within-online';
  /**
   * Whether a cpuset with tasks may be left without cpus or mems: `allowed` (2.6.18 validate_change
   * does not look; the tasks run on an ancestor's, guarantee_online_cpus) or `ENOSPC` (2.6.33
   * validate_change refuses, and no such cpuset exists: the cpuset-nonempty invariant checks it).
   */
  emptyWithTasks: 'allowed' | 'ENOSPC';
  /** Subsystem callback order: ascending id (seed 001 loops) or the 2.6.33 hierarchy list order (descending id). */
  callOrder: 'ascending' | 'descending';
  /** Which creates are destroyed when a later one fails: reverse order (seed 001) or call order (2.6.33 err_destroy). */
  createUnwind: 'reverse' | 'call-order';
  /** Whether `postAttach` callbacks run (2006 only). */
  postAttach: boolean;
  /** Whether attaching a task to the cgroup it is in runs the callbacks again (2006) or is a no-op (2009). */
  reattachRunsCallbacks: boolean;
  /** Control-file numbers: `lenient` simple_strtoul (2006) or `strict` write_u64 (2009). */
  numberParsing: 'lenient' | 'strict';
  /** errno for a non-numeric pid written to `tasks`: EIO (2006 sscanf failure) or EINVAL (2009). */
  tasksParseErrno: 'EIO' | 'EINVAL';
  /** Hotplug: `static` 2.6.18 top cpuset (guarantee_online_cpus) or `track` (2009 top follows, others shrink). */
  hotplug: 'static' | 'track';
  /** Whether css_sets exist (2009) and appear in the canonical state. */
  cssSets: boolean;
  /** Whether the root of a hierarchy has `release_agent` and cgroups have `cgroup.procs` (2009). */
  releaseAgentFile: boolean;
  /** Whether subsystem control files are named `<subsys>.<file>` (2.6.33 `cgroup_add_file`) or as is (seed 001). */
  filePrefix: boolean;
  /** Control-file write size limit: `crude` 100 + 6 * max(possibleCpus, possibleMems) (2.6.18 cpuset.c) or `per-file` (2.6.33). */
  writeSizeLimit: 'crude' | 'per-file';
  /** Whether string control files are `strstrip`ped before use (2.6.33 `cgroup_write_string`). */
  stripStrings: boolean;
}

const base2006: Config = {
  cpus: 4,
  mems: 1,
  possibleCpus: 64,
  possibleMems: 64,
  nodes: 1,
  pidMax: 32768,
  reservedPids: 300,
  pidVirt: 'vpid',
  builtinSubsystems: ['cpuset'],
  subsysSlots: 8,
  initReaps: true,
  traceCallbacks: false,
};

export const VERSIONS: Record<SemanticsName, SemanticVersion> = {
  'containers-2006': {
    name: 'containers-2006',
    summary: "Menage's generic container framework (seed 001): one `container` hierarchy, register_subsys, 2.6.18 cpusets",
    defaults: base2006,
    hierarchies: 'single',
    singleHierarchyName: 'container',
    registration: 'register',
    maskWrite: 'intersect-online',
    emptyWithTasks: 'allowed',
    callOrder: 'ascending',
    createUnwind: 'reverse',
    postAttach: true,
    reattachRunsCallbacks: true,
    numberParsing: 'lenient',
    tasksParseErrno: 'EIO',
    hotplug: 'static',
    cssSets: false,
    releaseAgentFile: false,
    filePrefix: false,
    writeSizeLimit: 'crude',
    stripStrings: false,
  },
  'cgroups-2009': {
    name: 'cgroups-2009',
    summary: 'cgroups of 2.6.33 with modular subsystems (seed 003): many hierarchies, css_sets, load/unload_subsys',
    defaults: { ...base2006, builtinSubsystems: ['cpuset', 'debug'], subsysSlots: 64 },
    hierarchies: 'multi',
    singleHierarchyName: 'container',
    registration: 'modular',
    maskWrite: 'within-online',
    emptyWithTasks: 'ENOSPC',
    callOrder: 'descending',
    createUnwind: 'call-order',
    postAttach: false,
    reattachRunsCallbacks: false,
    numberParsing: 'strict',
    tasksParseErrno: 'EINVAL',
    hotplug: 'track',
    cssSets: true,
    releaseAgentFile: true,
    filePrefix: true,
    writeSizeLimit: 'per-file',
    stripStrings: true,
  },
};

export const DEFAULT_SEMANTICS: SemanticsName = 'cgroups-2009';

export function isSemanticsName(name: string): name is SemanticsName {
  return Object.prototype.hasOwnProperty.call(VERSIONS, name);
}

/** Looks a version up by name; an unknown name is bad input (reference: Traces). */
export function getVersion(name: string, where = 'semantics'): SemanticVersion {
  if (!isSemanticsName(name)) {
    throw new BadInputError(where, `unknown semantics "${name}" (known: ${Object.keys(VERSIONS).join(', ')})`);
  }
  return VERSIONS[name];
}
