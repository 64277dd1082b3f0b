import { BadInputError } from '../errors.js';
import type { SemanticsName } from '../trace/schema-types.js';
import type { Config } from './config.js';
import { LINUX_6 } from './linux-6.js';
import type { SemanticVersion } from './version.js';

export type { SemanticVersion };

export type { SemanticsName };


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
  rootPidNsLevel: 0,
  traceCallbacks: false,
};

/**
 * What the two seed-era versions share against linux-6: the OpenSSI cluster and OpenVZ VPSs exist,
 * and none of the 6.x cgroup v1 rules apply (docs/versions.md, the linux-6 table).
 */
const seedEra = {
  cluster: true,
  vps: true,
  listSyntax: 'plain',
  zeroLengthWrite: 'parse',
  procsWritable: false,
  zombieAttach: 'ESRCH',
  nrCpus: null,
  unknownSubsys: 'ENOENT',
  effectiveFiles: false,
  cloneChildrenFile: false,
  traceStopLetter: 'T',
  cpusetV1Files: false,
  ptraceInit: 'EPERM',
  ptracedOrder: 'attach',
  newpidFlag: 'unknown',
  childSubreaper: false,
  nameMax: 255,
} as const satisfies Partial<SemanticVersion>;

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
    affinityOnCpusetChange: 'reset-on-attach',
    ...seedEra,
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
    affinityOnCpusetChange: 'reset',
    ...seedEra,
  },
  'linux-6': LINUX_6,
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
