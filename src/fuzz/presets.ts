import type { OpTable } from '../workload/table.js';
import type { ConfigOverrides, Event } from '../trace/schema-types.js';
import type { FuzzHeader } from './header.js';
import { DEFAULT_SEMANTICS, type SemanticsName, VERSIONS } from '../semantics/versions.js';
import type { SemanticVersion } from '../semantics/version.js';

/**
 * Reach (issue 12 item 3): start states the default presets never reach within a run of 60
 * events, each a config and a fixed prologue of events that opens the run (so a counterexample
 * replays as it is): pid allocation just below the VPID bit (1024) and just below pid_max, a
 * cpuset with a task on one cpu (one cpu_down from the hotplug rules), a deep process tree, VPS
 * images a restore can no longer honour.
 */
export interface ReachPreset {
  name: string;
  config: ConfigOverrides;
  prologue: readonly Event[];
}

/**
 * The cpus a preset asks for under `v`: `want`, or fewer when the version's kernel has fewer
 * possible cpus (linux-6: nr_cpu_ids 2), so that every preset boots under every version.
 */
const cpusFor = (v: SemanticVersion, want: number): number => Math.min(want, v.defaults.possibleCpus);

/** The reach presets under `v`, from its defaults: the same for every version that can have them. */
function reachPresets(v: SemanticVersion): readonly ReachPreset[] {
  const cpus = cpusFor(v, 4);
  const presets: ReachPreset[] = [
    // two VPS images whose restore now fails on what changed since: img1's init was in cpuset /a, which
    // is gone (image-cgroup-gone); img2's init ran on node 1, which is down (image-node-down). The
    // presets a version may lack come first, so that the presets after them keep their selectors.
    {
      name: 'stale-images',
      // virtual pids on even where the run's config preset turned them off
      config: { nodes: 2, pidVirt: 'vpid' },
      prologue: [
        { op: 'mount', by: 1, hierarchy: 'container', subsystems: ['cpuset'], noprefix: true },
        { op: 'mkdir', by: 1, hierarchy: 'container', path: '/a' },
        { op: 'write', by: 1, hierarchy: 'container', path: '/a', file: 'cpus', value: '0' },
        { op: 'write', by: 1, hierarchy: 'container', path: '/a', file: 'mems', value: '0' },
        { op: 'vps_create', by: 1, vps: 1 },
        { op: 'attach', by: 1, hierarchy: 'container', path: '/a', pid: 2 },
        { op: 'vps_checkpoint', by: 1, vps: 1, image: 'img1' },
        { op: 'attach', by: 1, hierarchy: 'container', path: '/', pid: 2 },
        { op: 'rmdir', by: 1, hierarchy: 'container', path: '/a' },
        { op: 'vps_create', by: 1, vps: 2 },
        { op: 'migrate', by: 1, pid: 3, node: 1 },
        { op: 'vps_checkpoint', by: 1, vps: 2, image: 'img2' },
        { op: 'node_down', node: 1 },
      ],
    },
    // pid namespaces one level short of MAX_PID_NS_LEVEL (32): task 1's pid_for_children is at 32,
    // its child 2 is init there, and any namespace below it is ENOSPC (create_pid_namespace)
    {
      name: 'deep-pidns',
      config: { rootPidNsLevel: 31 },
      prologue: [
        { op: 'unshare', by: 1, flags: ['newpid'] },
        { op: 'fork', by: 1 },
      ],
    },
    // forcing pid 1021 moves alloc_pidmap's `last` there: the next pids are 1022, 1023, then every
    // number below pid_max has the VPID bit and the allocator wraps to RESERVED_PIDS
    { name: 'near-vpid-bit', config: { pidMax: 1100, reservedPids: 1000 }, prologue: [{ op: 'fork', by: 1, pid: 1021 }] },
    // pid 38 under pid_max 40, RESERVED_PIDS 36: four pids left before EAGAIN (fork, vps_create, restore)
    { name: 'near-pid-max', config: { pidMax: 40, reservedPids: 36 }, prologue: [{ op: 'fork', by: 1, pid: 38 }] },
    {
      name: 'hotplug-ready',
      config: { cpus, mems: 2 },
      // `container` with noprefix: the same file names under every version (a no-op mount in 2006);
      // the task's cpuset has the last cpu and node alone
      prologue: [
        { op: 'mount', by: 1, hierarchy: 'container', subsystems: ['cpuset'], noprefix: true },
        { op: 'mkdir', by: 1, hierarchy: 'container', path: '/a' },
        { op: 'write', by: 1, hierarchy: 'container', path: '/a', file: 'cpus', value: String(cpus - 1) },
        { op: 'write', by: 1, hierarchy: 'container', path: '/a', file: 'mems', value: '1' },
        { op: 'fork', by: 1 },
        { op: 'attach', by: 1, hierarchy: 'container', path: '/a', pid: 2 },
      ],
    },
    {
      name: 'deep-tree',
      config: {},
      prologue: [2, 3, 4, 5, 6, 7, 8].map((pid) => ({ op: 'fork', by: pid - 1, pid }) as Event),
    },
  ];
  // stale-images needs virtual pids and a cluster, deep-pidns pid namespaces; a version without
  // them leaves them out, and reachOf counts from the end of the list, so the presets after them
  // keep their selectors
  return presets.filter((p) => (p.name === 'stale-images' ? v.vps && v.cluster : p.name === 'deep-pidns' ? v.newpidFlag === 'new-namespace' : true));
}

const bySemantics = new Map<SemanticsName, readonly ReachPreset[]>();
/** The reach presets of version `sem` (made once per version). */
export function reachPresetsOf(sem: SemanticsName): readonly ReachPreset[] {
  let presets = bySemantics.get(sem);
  if (!presets) bySemantics.set(sem, (presets = reachPresets(VERSIONS[sem])));
  return presets;
}

/** The default version's presets (a version may lack one and have another: {@link reachPresetsOf}). */
export const REACH_PRESETS: readonly ReachPreset[] = reachPresetsOf(DEFAULT_SEMANTICS);

/** Reach preset by selector: each preset one run in eight, none in the rest (and when shrinking). */
export const REACH_SELECTORS = 8;
export const reachOf = (selector: number, sem: SemanticsName = DEFAULT_SEMANTICS): ReachPreset | null => {
  const presets = reachPresetsOf(sem);
  return presets[(selector % REACH_SELECTORS) - (REACH_SELECTORS - presets.length)] ?? null;
};

/** The header with the reach preset's config over the run's own. */
export function reachHeader(h: FuzzHeader, r: ReachPreset | null): FuzzHeader {
  if (!r || Object.keys(r.config).length === 0) return h;
  return { ...h, config: { ...h.config, ...r.config } };
}

/**
 * Swarm testing (Groce et al., 2012): a run generates only a subset of the ops, so that the ops it
 * keeps are not drowned out and set-ups that other ops keep undoing (a long cpuset or ptrace set-up)
 * can happen. `mask` 0 (what shrinking goes for) is every op; otherwise each op of the table is
 * kept when its bit of the mask is set, fork always (without new tasks little else can run).
 */
const swarms = new WeakMap<OpTable, Map<number, OpTable>>();
export function swarmTable(base: OpTable, mask: number): OpTable {
  if (mask === 0) return base;
  let byMask = swarms.get(base);
  if (!byMask) swarms.set(base, (byMask = new Map()));
  const cached = byMask.get(mask);
  if (cached) return cached;
  const keep = base.entries.filter((e, i) => e.op === 'fork' || ((mask >>> (i % 31)) & 1) === 1);
  const entries = keep.length >= 3 ? keep : base.entries;
  let acc = 0;
  const cumulative = entries.map((e) => (acc += e.weight));
  const table = Object.create(base, {
    entries: { value: entries },
    cumulative: { value: cumulative },
    total: { value: acc },
  }) as OpTable;
  byMask.set(mask, table);
  return table;
}
