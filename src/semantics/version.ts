import type { SemanticsName } from '../trace/schema-types.js';
import type { Config } from './config.js';

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
  /**
   * `register`: `register_subsys` (seed 001); `modular`: builtins plus `load_subsys`/`unload_subsys`
   * (seed 003); `builtin`: the builtins only, every registration op ENOSYS (6.x has no
   * `cgroup_load_subsys`).
   */
  registration: 'register' | 'modular' | 'builtin';
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
  /**
   * Control-file numbers: `lenient` simple_strtoul (2006), `strict` write_u64 (2009), or `kstrtox`
   * (6.x `cgroup_file_write`: `kstrtoull` unstripped for numbers, `strstrip` + `kstrtoint` for pids).
   */
  numberParsing: 'lenient' | 'strict' | 'kstrtox';
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
  /**
   * Control-file write size limit: `crude` 100 + 6 * max(possibleCpus, possibleMems) (2.6.18
   * cpuset.c), `per-file` (2.6.33: at or above the file's limit, numbers 64 bytes) or `kernfs` (6.x
   * `kernfs_fop_write_iter`: above the file's `max_write_len`, else above PAGE_SIZE).
   */
  writeSizeLimit: 'crude' | 'per-file' | 'kernfs';
  /** Whether string control files are `strstrip`ped before use (2.6.33 `cgroup_write_string`). */
  stripStrings: boolean;
  /** Whether OpenSSI's cluster exists (seed 002): nodes, `node_down`/`node_up`, `migrate`, `fork {node}` (rfork). */
  cluster: boolean;
  /** Whether OpenVZ's virtual pids can be configured (seed 004, `pidVirt: "vpid"`): VPS ops, `fork {vpid}`. */
  vps: boolean;
  /** cpuset list syntax: `plain` N and N-M items (2.6 `bitmap_parselist`) or `regions` (6.x: separators, `a-b:used/group`, `N`, `all`). */
  listSyntax: 'plain' | 'regions';
  /** A zero-length write: handed to the file's parser (2006, 2009) or 0 with no effect (6.x `cgroup_file_write`). */
  zeroLengthWrite: 'parse' | 'noop';
  /** Whether `cgroup.procs` is writable (6.x `cgroup1_procs_write`), or read-only (2.6.33). */
  procsWritable: boolean;
  /** A zombie's pid written to `tasks`: `ESRCH` (2.6.33 `cgroup_attach_task`: PF_EXITING) or `noop` (6.x: success, nothing moves). */
  zombieAttach: 'ESRCH' | 'noop';
  /**
   * NR_CPUS of the kernel build, when it differs from `possibleCpus` (nr_cpu_ids): 6.x sizes the
   * `cpus` write limit by it (`cpuset1_files[]` `max_write_len`), and parses against nr_cpu_ids.
   */
  nrCpus: number | null;
  /** `mount` naming a subsystem the kernel lacks: ENOENT (2.6.33 `parse_cgroupfs_options`) or EINVAL (6.x `cgroup1_parse_param`: "Unknown subsys name"). */
  unknownSubsys: 'ENOENT' | 'EINVAL';
  /** Whether cpusets have the read-only `effective_cpus` / `effective_mems` (6.x `cpuset1_files[]`). */
  effectiveFiles: boolean;
  /**
   * The state letter `/proc/PID/stat` shows for a task in a trace stop (fs/proc/array.c
   * `task_state_array`): `T` (2.6.18 and 2.6.32: "T (tracing stop)", like a group stop) or `t`
   * (6.x: "t (tracing stop)").
   */
  traceStopLetter: 'T' | 't';
  /**
   * 6.x's other cpuset v1 files (`cpuset1_files[]`: `sched_load_balance`, `sched_relax_domain_level`,
   * `mem_hardwall`, `memory_spread_page`, `memory_spread_slab`, `memory_pressure`, and
   * `memory_pressure_enabled` on the top); false: the seed's files only.
   */
  cpusetV1Files: boolean;
  /** Whether cgroups have `cgroup.clone_children` (6.x; 2.6.38 on): a new cpuset copies its parent's cpus and mems (`cpuset_css_online`). */
  cloneChildrenFile: boolean;
  /**
   * `ptrace(ATTACH)` of the namespace's init: `EPERM` (2.6.18 `ptrace_attach`: `task->pid <= 1`) or
   * `allowed` (6.x `ptrace_attach` checks kernel threads and the caller's own thread group only;
   * its SIGSTOP is sent `SEND_SIG_PRIV`, which init does not ignore, so init stops).
   */
  ptraceInit: 'EPERM' | 'allowed';
  /**
   * The order in which `wait` visits the tracees that are not the caller's children: `attach`
   * (2.6.18 `__ptrace_link` appends them to the tracer's `children`) or `newest-first` (6.x
   * `__ptrace_link`: `list_add` at the head of `tracer->ptraced`).
   */
  ptracedOrder: 'attach' | 'newest-first';
  /**
   * What CLONE_NEWPID means (reference: pid namespaces): `unknown`, a bit 2.6.18 does not know
   * (`clone` ignores it, `sys_unshare` refuses it with EINVAL, there is no `setns`: ENOSYS), or
   * `new-namespace` (2.6.24 on; 6.x `copy_pid_ns`, `create_pid_namespace`, `pidns_install`).
   */
  newpidFlag: 'unknown' | 'new-namespace';
  /**
   * Whether `prctl` knows PR_SET_CHILD_SUBREAPER / PR_GET_CHILD_SUBREAPER (3.4 on): orphans go to
   * the nearest living subreaper ancestor (6.x `find_new_reaper`); without it the option is
   * unknown (`sys_prctl`: EINVAL) and orphans always go to the child reaper.
   */
  childSubreaper: boolean;
  /**
   * The longest cgroup directory name, in bytes (longer: EINVAL), or null for none: 2.6.33's
   * cgroupfs `cgroup_lookup` refuses names past NAME_MAX (255); 6.x cgroups live on kernfs, whose
   * `kernfs_iop_lookup` and `cgroup_mkdir` check no length (only the whole path's PATH_MAX).
   */
  nameMax: number | null;
  /**
   * What a cpuset change does to the mask `sched_setaffinity` gave a task (src/kernel/affinity.ts):
   * `reset-on-attach` (2.6.18: `cpuset_attach` sets the cpuset's cpus, `update_cpumask` leaves the
   * tasks' masks alone), `reset` (2.6.33: `cpuset_attach` and `update_tasks_cpumask` set the
   * cpuset's cpus) or `reapplied` (6.2 on: the request is remembered, `user_cpus_ptr`, and every
   * change sets the cpuset's cpus ∩ the request, or the cpuset's cpus when they are disjoint).
   */
  affinityOnCpusetChange: 'reset-on-attach' | 'reset' | 'reapplied';
}
