import { fieldNames, type Path } from './path.js';

/** The areas a state diff is grouped by (issue 5), in display order. */
export const AREAS = [
  { id: 'tasks', title: 'tasks' },
  { id: 'pgrps', title: 'process groups and sessions' },
  { id: 'ptrace', title: 'ptrace' },
  { id: 'cluster', title: 'cluster' },
  { id: 'cgroups', title: 'hierarchies and cgroups' },
  { id: 'cpusets', title: 'cpusets' },
  { id: 'cssSets', title: 'css_sets' },
  { id: 'subsystems', title: 'subsystems' },
  { id: 'vps', title: 'VPSs and vpid maps' },
  { id: 'pidns', title: 'pid namespaces' },
  { id: 'kernel', title: 'allocator, config and injections' },
] as const;
export type AreaId = (typeof AREAS)[number]['id'];

/** Task fields that belong to another area than `tasks`. */
const TASK_FIELD_AREA: Readonly<Record<string, AreaId>> = Object.assign(Object.create(null) as Record<string, AreaId>, {
  pgid: 'pgrps',
  sid: 'pgrps',
  tracer: 'ptrace',
  traced: 'ptrace',
  node: 'cluster',
  cgroups: 'cgroups',
  cssSet: 'cssSets',
  effectiveCpus: 'cpusets',
  effectiveMems: 'cpusets',
  vps: 'vps',
  vpid: 'vps',
});

/** Top-level keys of the canonical state other than `tasks` and `hierarchies`. */
const TOP_AREA: Readonly<Record<string, AreaId>> = Object.assign(Object.create(null) as Record<string, AreaId>, {
  nodesUp: 'cluster',
  cpusOnline: 'cpusets',
  memsOnline: 'cpusets',
  subsystems: 'subsystems',
  cssSets: 'cssSets',
  vpses: 'vps',
  images: 'vps',
  pidNamespaces: 'pidns',
  pidNumbers: 'pidns',
  pidForChildren: 'pidns',
});

/** cpuset state inside a cgroup (reference: write), whether flat or under a `cpuset` subsystem entry. */
const isCpusetField = (name: string): boolean =>
  name === 'cpuset' || name.startsWith('cpuset.') || ['cpus', 'mems', 'cpu_exclusive', 'mem_exclusive', 'memory_migrate'].includes(name);

/** The area a change at `path` belongs to. */
export function areaOf(path: Path): AreaId {
  const names = fieldNames(path);
  const top = names[0] ?? '';
  if (top === 'tasks') {
    const field = names[1];
    return field === undefined ? 'tasks' : (TASK_FIELD_AREA[field] ?? 'tasks');
  }
  if (top === 'hierarchies' || top === 'cgroups') return names.slice(1).some(isCpusetField) ? 'cpusets' : 'cgroups';
  return TOP_AREA[top] ?? 'kernel';
}
