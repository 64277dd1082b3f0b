import type { SemanticVersion } from './version.js';

/**
 * `linux-6`: the mainline kernel these machines run (Linux 6.18, cgroup v1 cpuset), as observed on
 * it (traces/kernel/) and read in its sources (kernel/cgroup/cgroup.c, cgroup-v1.c, cpuset.c,
 * cpuset-v1.c, lib/bitmap-str.c, lib/kstrtox.c). Mechanisms that never reached mainline are
 * absent: OpenSSI's cluster (ENOSYS, node events are bad input), OpenVZ's VPSs (ENOSYS) and
 * subsystem registration (ENOSYS). The defaults are the test machine's: 2 cpus (nr_cpu_ids 2, so
 * `possibleCpus` 2), one memory node, MAX_NUMNODES 1024.
 */
export const LINUX_6: SemanticVersion = {
  name: 'linux-6',
  summary: 'mainline Linux 6.18 with cgroup v1 cpusets: no cluster, no VPSs, builtin subsystems only',
  defaults: {
    cpus: 2,
    mems: 1,
    possibleCpus: 2,
    possibleMems: 1024,
    nodes: 1,
    pidMax: 32768,
    reservedPids: 300,
    pidVirt: 'none',
    builtinSubsystems: ['cpuset', 'net_cls'],
    subsysSlots: 64,
    initReaps: true,
    rootPidNsLevel: 0,
    traceCallbacks: false,
  },
  hierarchies: 'multi',
  singleHierarchyName: 'container',
  registration: 'builtin',
  maskWrite: 'within-online',
  emptyWithTasks: 'ENOSPC',
  callOrder: 'ascending',
  createUnwind: 'call-order',
  postAttach: false,
  reattachRunsCallbacks: false,
  numberParsing: 'kstrtox',
  tasksParseErrno: 'EINVAL',
  hotplug: 'track',
  cssSets: true,
  releaseAgentFile: true,
  filePrefix: true,
  writeSizeLimit: 'kernfs',
  stripStrings: true,
  cluster: false,
  vps: false,
  listSyntax: 'regions',
  zeroLengthWrite: 'noop',
  procsWritable: true,
  zombieAttach: 'noop',
  // The test machine's build: a 1636-byte `cpus` write is the longest accepted (100 + 6 * 256).
  nrCpus: 256,
  unknownSubsys: 'EINVAL',
  effectiveFiles: true,
  cloneChildrenFile: true,
  traceStopLetter: 't',
  cpusetV1Files: true,
  ptraceInit: 'allowed',
  ptracedOrder: 'newest-first',
  newpidFlag: 'new-namespace',
  childSubreaper: true,
  // kernfs: a cgroup name of any length (a 2000-byte one is created, read and removed on 6.18)
  nameMax: null,
  // 6.2's user_cpus_ptr: a cpuset move keeps what sched_setaffinity asked (oracle cpuset_h_move_task)
  affinityOnCpusetChange: 'reapplied',
};
