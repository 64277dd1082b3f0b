import { createHash } from 'node:crypto';
import { canonicalCgroups, taskCgroupFields } from '../cgroup/canonical.js';
import { canonicalPidNs } from '../kernel/pidns-canonical.js';
import { canonicalVpids } from '../vpid/canonical.js';
import type { SemanticVersion } from '../semantics/versions.js';
import { canonicalJson, type Json, jsonObject } from './json.js';
import type { Task } from './task.js';
import type { KernelState } from './types.js';

const sortedNumbers = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
const numberMap = <V extends Json>(m: Map<number, V>): { [k: string]: Json } =>
  jsonObject(sortedNumbers(m.keys()).map((k) => [String(k), m.get(k) as V]));

function canonicalTask(s: KernelState, v: SemanticVersion, t: Task): Json {
  return {
    pid: t.pid,
    parent: t.parent,
    children: [...t.children],
    pgid: t.pgid,
    sid: t.sid,
    node: t.node,
    state: t.state,
    exitStatus: t.exitStatus ? { ...t.exitStatus } : null,
    execd: t.execd,
    dispositions: numberMap(t.dispositions),
    caught: numberMap(t.caught),
    pending: [...t.pending],
    stopReport: t.stopReport,
    contReport: t.contReport,
    tracer: t.tracer,
    traced: [...t.traced],
    vps: t.vps,
    ...taskCgroupFields(s, v, t),
    // Absent unless set (PR_SET_CHILD_SUBREAPER), so states without subreapers keep their bytes.
    ...(t.childSubreaper ? { childSubreaper: true } : {}),
    // Absent unless sched_setaffinity set it, so states without one keep their bytes.
    ...(t.affinity ? { affinity: [...t.affinity] } : {}),
    // Absent for a process's leader and a single-threaded process, so their states keep their bytes.
    ...(t.tgid !== t.pid ? { tgid: t.tgid } : {}),
    ...(t.leaderExited ? { leaderExited: { ...t.leaderExited } } : {}),
  };
}

/**
 * The canonical state (reference: Determinism and the state): complete (everything that can affect a later outcome), one shape
 * for every version, entities as arrays sorted by their key. Shape: schemas/state.schema.json.
 */
export function canonicalState(s: KernelState, v: SemanticVersion): { [key: string]: Json } {
  return {
    semantics: s.semantics,
    config: { ...s.config, builtinSubsystems: [...s.config.builtinSubsystems] },
    last: s.last,
    tasks: sortedNumbers(s.tasks.keys()).map((pid) => canonicalTask(s, v, s.tasks.get(pid) as Task)),
    nodesUp: s.nodesUp.flatMap((up, node) => (up ? [node] : [])),
    ...canonicalCgroups(s, v),
    ...canonicalVpids(s),
    ...canonicalPidNs(s),
    injections: s.injections.map((i) => ({ point: i.point, subsys: i.subsys, err: i.err, count: i.count })),
  };
}

export function canonicalStateText(s: KernelState, v: SemanticVersion): string {
  return canonicalJson(canonicalState(s, v));
}

/** `sha256:<hex>` of the canonical state text. */
export function hashText(text: string): string {
  return 'sha256:' + createHash('sha256').update(text).digest('hex');
}

export function stateHash(s: KernelState, v: SemanticVersion): string {
  return hashText(canonicalStateText(s, v));
}
