import { cpulist } from '../diff/value.js';
import type { Json } from '../state/json.js';
import { VPID_DIV } from '../vpid/types.js';

/**
 * The state as a person reads it (issue 15 `kreplay show`, the HTML report's trees): built from
 * the canonical state (schemas/state.schema.json), so it works on a trace replayed to any point
 * and on a `replay --state-out` file alike. Plain data: `show --json` prints it as it is, the text
 * form (text.ts) and the report page (src/report) render it. No Node or terminal dependency: the
 * report runs this module in the browser.
 */

export interface ProcessView {
  pid: number;
  /** The pid inside its VPS (seed 004: linear `pid + VPID_DIV`, 1 for its init, or the sparse map); null on the host. */
  vpid: number | null;
  /** The VPS it belongs to, 0 = the host. */
  vps: number;
  parent: number;
  children: number[];
  pgid: number;
  sid: number;
  state: string;
  /** `exited N` / `killed by signal N` for a zombie, else null. */
  exit: string | null;
  /** Its tracer's pid, 0 when not traced. */
  tracer: number;
  traced: number[];
  /** Cluster node it runs on (seed 002). */
  node: number;
  execd: boolean;
  /** Pending signals, in arrival order. */
  pending: number[];
}

export interface CgroupView {
  path: string;
  /** Subsystem files and flags as `[name, value]`, e.g. `["cpuset.cpus", "0-3"]`; flags that are off are left out. */
  settings: [string, string][];
  /** Pids of the tasks in it, ascending. */
  tasks: number[];
}

export interface HierarchyView {
  name: string;
  subsystems: string[];
  releaseAgent: string;
  /** Every cgroup, parents before children, in path order. */
  cgroups: CgroupView[];
}

export interface VpsView {
  id: number;
  init: number;
  mode: string;
  /** vpid -> global pid of every task of the VPS (and, in sparse mode, every mapped number). */
  map: { vpid: number; pid: number }[];
}

export interface NodeView {
  node: number;
  up: boolean;
  tasks: number[];
}

/** The event that led to this state, when it is a point of a trace. */
export interface EventView {
  /** 1-based index in the trace. */
  index: number;
  op: string;
  by: number | null;
  outcome: Json;
  /** The trace's `expect`, when it had one. */
  expected: Json | null;
  diverged: boolean;
  /**
   * Why the outcome is what it is, one sentence per errno or `blocked` outcome, when the model
   * gives one (issue 15's reason codes, src/replay/explain.ts `explainOutcome`).
   */
  reason?: string;
}

export interface StateView {
  semantics: string;
  cpusOnline: string;
  memsOnline: string;
  /** Every task, ascending pid; `roots` are those whose parent is not a task (pid 1's parent 0). */
  processes: ProcessView[];
  roots: number[];
  hierarchies: HierarchyView[];
  /** Registered subsystems bound to no hierarchy. */
  unbound: string[];
  vpses: VpsView[];
  nodes: NodeView[];
  images: { name: string; vps: number; tasks: number }[];
  injections: string[];
}

type Obj = { [key: string]: Json };
const obj = (v: Json | undefined): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const num = (v: Json | undefined): number => (typeof v === 'number' ? v : 0);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const nums = (v: Json | undefined): number[] => arr(v).filter((x): x is number => typeof x === 'number');
const list = (v: Json | undefined): string => {
  const l = cpulist(arr(v));
  return l === null ? JSON.stringify(v) : l === '' ? '(empty)' : l;
};

function exitText(v: Json | undefined): string | null {
  const e = obj(v);
  if (typeof e.exited === 'number') return `exited ${e.exited}`;
  if (typeof e.signaled === 'number') return `killed by signal ${e.signaled}`;
  return null;
}

/** The vpid of task `pid` in its VPS: seed 004 linear rule (`pid + VPID_DIV`, 1 for init) or the sparse hash. */
function vpidIn(vps: Obj | undefined, pid: number): number | null {
  if (!vps) return null;
  if (str(vps.mode) === 'sparse') {
    const m = arr(vps.mappings).map(obj).find((x) => x.pid === pid);
    return m ? num(m.vpid) : null;
  }
  return pid === num(vps.init) ? 1 : pid + VPID_DIV;
}

/** A subsystem's state as `[file, value]` settings: sets as cpulists, true flags by name, false ones left out. */
function settingsOf(subsys: Obj): [string, string][] {
  const out: [string, string][] = [];
  for (const name of Object.keys(subsys).sort()) {
    const st = obj(subsys[name]);
    for (const key of Object.keys(st).sort()) {
      const v = st[key];
      if (v === false || v === null) continue;
      const value = Array.isArray(v) ? list(v) : v === true ? 'on' : typeof v === 'string' ? v : JSON.stringify(v);
      out.push([`${name}.${key}`, value]);
    }
  }
  return out;
}

/** Parents before children, siblings by name: `/a`, `/a/b`, `/a.b` (plain string order would put `/a.b` between). */
function treeOrder(a: CgroupView, b: CgroupView): number {
  const x = a.path.split('/');
  const y = b.path.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** Builds the view of a canonical state (schemas/state.schema.json). */
export function stateView(state: { [key: string]: Json }): StateView {
  const vpsById = new Map(arr(state.vpses).map(obj).map((v) => [num(v.id), v] as const));
  const tasks = arr(state.tasks).map(obj);
  const pids = new Set(tasks.map((t) => num(t.pid)));
  const processes: ProcessView[] = tasks.map((t) => {
    const pid = num(t.pid);
    const vps = num(t.vps);
    return {
      pid,
      vpid: vps === 0 ? null : vpidIn(vpsById.get(vps), pid),
      vps,
      parent: num(t.parent),
      children: nums(t.children),
      pgid: num(t.pgid),
      sid: num(t.sid),
      state: str(t.state),
      exit: exitText(t.exitStatus),
      tracer: num(t.tracer),
      traced: nums(t.traced),
      node: num(t.node),
      execd: t.execd === true,
      pending: nums(t.pending),
    };
  });
  const hierarchies: HierarchyView[] = arr(state.hierarchies)
    .map(obj)
    .map((h) => {
      const name = str(h.name);
      const members = new Map<string, number[]>();
      for (const t of tasks) {
        const path = obj(t.cgroups)[name];
        if (typeof path === 'string') members.set(path, [...(members.get(path) ?? []), num(t.pid)]);
      }
      const cgroups = arr(h.cgroups)
        .map(obj)
        .map((cg): CgroupView => {
          const settings = settingsOf(obj(cg.subsys));
          if (cg.notifyOnRelease === true) settings.push(['notify_on_release', 'on']);
          return { path: str(cg.path), settings, tasks: members.get(str(cg.path)) ?? [] };
        });
      return { name, subsystems: arr(h.subsystems).map(str), releaseAgent: str(h.releaseAgent), cgroups: cgroups.sort(treeOrder) };
    });
  const vpses: VpsView[] = [...vpsById.values()].map((v) => {
    const id = num(v.id);
    const map =
      str(v.mode) === 'sparse'
        ? arr(v.mappings).map(obj).map((m) => ({ vpid: num(m.vpid), pid: num(m.pid) }))
        : processes.filter((p) => p.vps === id && p.vpid !== null).map((p) => ({ vpid: p.vpid as number, pid: p.pid }));
    return { id, init: num(v.init), mode: str(v.mode), map: map.sort((a, b) => a.vpid - b.vpid) };
  });
  const up = new Set(nums(state.nodesUp));
  const nodeCount = Math.max(num(obj(state.config).nodes), ...up, ...processes.map((p) => p.node + 1), 1);
  const nodes: NodeView[] = Array.from({ length: nodeCount }, (_, node) => ({
    node,
    up: up.has(node),
    tasks: processes.filter((p) => p.node === node).map((p) => p.pid),
  }));
  return {
    semantics: str(state.semantics),
    cpusOnline: list(state.cpusOnline),
    memsOnline: list(state.memsOnline),
    processes,
    roots: processes.filter((p) => !pids.has(p.parent)).map((p) => p.pid),
    hierarchies,
    unbound: arr(state.subsystems)
      .map(obj)
      .filter((s) => s.hierarchy === null)
      .map((s) => str(s.name)),
    vpses,
    nodes,
    images: arr(state.images)
      .map(obj)
      .map((i) => ({ name: str(i.name), vps: num(i.vps), tasks: arr(i.tasks).length })),
    injections: arr(state.injections)
      .map(obj)
      .map((i) => `${str(i.point)}${i.subsys === null ? '' : `(${str(i.subsys)})`} -> ${str(i.err)} x${num(i.count)}`),
  };
}

/** A cgroup's depth below its hierarchy's root (`/` is 0, `/a/b` is 2). */
export const cgroupDepth = (path: string): number => (path === '/' ? 0 : path.split('/').length - 1);

/** A cgroup's last path component (`/` for the root). */
export const cgroupName = (path: string): string => (path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1));
