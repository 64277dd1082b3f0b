import { bootCgroups } from '../cgroup/boot.js';
import { emptyPidNsWorld } from '../kernel/pidns-types.js';
import type { Config } from '../semantics/config.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from './task.js';
import type { KernelState } from './types.js';

/**
 * A fresh task record with the defaults fork and boot share. Fields are listed one by one rather
 * than spread: V8 builds spread literals slowly (dictionary-mode objects), and fork is hot.
 */
export function newTask(f: Pick<Task, 'pid' | 'parent' | 'pgid' | 'sid' | 'node' | 'vps' | 'cssSet'>): Task {
  return {
    pid: f.pid,
    parent: f.parent,
    children: [],
    pgid: f.pgid,
    sid: f.sid,
    node: f.node,
    state: 'running',
    exitStatus: null,
    execd: false,
    dispositions: new Map(),
    caught: new Map(),
    pending: [],
    stopReport: 0,
    contReport: false,
    tracer: 0,
    traced: [],
    vps: f.vps,
    cssSet: f.cssSet,
    exitState: 'none',
    childSubreaper: false,
    affinity: null,
    tgid: f.pid,
    threads: [],
    leaderExited: null,
  };
}

/** The boot state (reference: Boot state): global init (pid = pgid = sid = 1) on node 0 in every root cgroup. */
export function boot(v: SemanticVersion, config: Config): KernelState {
  const { world, initCssSet } = bootCgroups(v, config);
  const init = newTask({ pid: 1, parent: 0, pgid: 1, sid: 1, node: 0, vps: 0, cssSet: initCssSet });
  return {
    semantics: v.name,
    config,
    last: 1,
    tasks: new Map([[1, init]]),
    numUse: new Map([[1, 3]]),
    pgrps: new Map([[1, new Set([1])]]),
    nodesUp: Array.from({ length: config.nodes }, () => true),
    cg: world,
    vpses: new Map(),
    images: new Map(),
    pidns: emptyPidNsWorld(),
    injections: [],
  };
}
