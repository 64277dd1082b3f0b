import type { Json } from '../state/json.js';
import type { KernelState } from '../state/types.js';
import { ROOT_PIDNS } from './pidns-types.js';

const byNumber = (a: number, b: number): number => a - b;

/**
 * The pid namespaces' part of the canonical state (reference: Determinism and the state): every
 * namespace below the root by id, every number with its number at every level (root first, as
 * `/proc/PID/status` NSpid lists them), and every pid_for_children that differs from its task's
 * namespace. Empty while no namespace was ever created, so states of the seed-era versions keep their shape.
 */
export function canonicalPidNs(s: KernelState): { [key: string]: Json } {
  const w = s.pidns;
  const root = s.config.rootPidNsLevel;
  return {
    pidNamespaces: [...w.spaces.values()].sort((a, b) => a.id - b.id).map((n) => ({ id: n.id, level: n.level, parent: n.parent, reaper: n.reaper, adding: n.adding, last: n.last })),
    pidNumbers: [...w.upids.keys()].sort(byNumber).map((pid) => {
      const u = w.upids.get(pid) ?? { nss: [], nrs: [] };
      return { pid, upids: [{ ns: ROOT_PIDNS, level: root, nr: pid }, ...u.nss.map((ns, i) => ({ ns, level: root + 1 + i, nr: u.nrs[i] as number }))] };
    }),
    pidForChildren: [...w.forChildren.keys()].sort(byNumber).map((pid) => ({ pid, ns: w.forChildren.get(pid) as number })),
  };
}
