import { post, runnableCaller, show } from '../kernel/post-util.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { isVisible, viewToPid } from '../vpid/view.js';

/** Postconditions of the cluster ops (reference: migrate, seed 002; issue 12). */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;

const up = (s: KernelState, node: number): boolean => Number.isInteger(node) && node >= 0 && node < s.nodesUp.length && s.nodesUp[node] === true;

interface MigratePre {
  ran: boolean;
  /** The task the pid names (0: the caller), global pid, and whether it was live; null when none is visible. */
  target: { pid: number; live: boolean } | null;
  up: boolean;
  nodes: Map<number, number>;
}
function migratePre(s: KernelState, _v: unknown, ev: Ev<'migrate'>): MigratePre {
  const caller = runnableCaller(s, ev.by);
  if (!caller) return { ran: false, target: null, up: false, nodes: new Map() };
  let t = ev.pid === 0 ? caller : undefined;
  if (!t && ev.pid > 0) {
    const g = viewToPid(s, caller, ev.pid);
    const named = g === null ? undefined : s.tasks.get(g);
    // A pid naming a thread names its process (reference: threads).
    const found = named && named.tgid !== named.pid ? s.tasks.get(named.tgid) : named;
    t = found && isVisible(s, caller, found) ? found : undefined;
  }
  return { ran: true, target: t ? { pid: t.pid, live: t.state !== 'zombie' } : null, up: up(s, ev.node), nodes: new Map([...s.tasks.values()].map((x) => [x.pid, x.node])) };
}

export const MIGRATE_POSTCONDITIONS = [
  post<Ev<'migrate'>, MigratePre>({
    id: 'post-migrate-result',
    doc: 'migrate fails with ENOSYS in a version without a cluster (linux-6: a syscall the kernel lacks), else ESRCH for no visible live task, else EINVAL for a node not up, else EPERM for global init, else returns 0 (seed 002)',
    before: migratePre,
    check(pre, _s, v, _ev, o) {
      if (!pre.ran) return null;
      const t = pre.target;
      const want = !v.cluster ? { err: 'ENOSYS' } : !t || !t.live ? { err: 'ESRCH' } : !pre.up ? { err: 'EINVAL' } : t.pid === 1 ? { err: 'EPERM' } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'migrate'>, MigratePre>({
    id: 'post-migrate-moved',
    doc: 'a successful migrate leaves the process, with all its threads, on the target node and every other task where it was (seed 002; reference: threads)',
    before: migratePre,
    check(pre, s, _v, ev, o) {
      if (!pre.ran || !('ret' in o) || !pre.target) return null;
      for (const t of s.tasks.values()) {
        const want = t.tgid === pre.target.pid ? ev.node : pre.nodes.get(t.pid);
        if (want !== undefined && t.node !== want) return `task ${t.pid} is on node ${t.node}, not ${want}`;
      }
      return null;
    },
  }),
];

interface NodePre {
  known: boolean;
  up: boolean;
  /** Live tasks on the node before. */
  victims: number[];
}
const nodePre = (s: KernelState, _v: unknown, ev: { node: number }): NodePre => ({
  known: Number.isInteger(ev.node) && ev.node >= 0 && ev.node < s.nodesUp.length,
  up: up(s, ev.node),
  victims: [...s.tasks.values()].filter((t) => t.node === ev.node && t.state !== 'zombie').map((t) => t.pid),
});

export const NODE_DOWN_POSTCONDITIONS = [
  post<Ev<'node_down'>, NodePre>({
    id: 'post-node-down-result',
    doc: 'node_down fails with EINVAL exactly for an unknown node, node 0 or a node already down, else returns 0 (seed 002)',
    before: nodePre,
    check(pre, _s, _v, ev, o) {
      const want = !pre.known || ev.node === 0 || !pre.up ? { err: 'EINVAL' } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'node_down'>, NodePre>({
    id: 'post-node-down-killed',
    doc: 'after node_down the node is down and every task that ran there is dead (a zombie or reaped), killed by SIGKILL (seed 002)',
    before: nodePre,
    check(pre, s, _v, ev, o) {
      if (!('ret' in o)) return null;
      if (s.nodesUp[ev.node] !== false) return `node ${ev.node} is still up`;
      for (const pid of pre.victims) {
        const t = s.tasks.get(pid);
        if (t && t.state !== 'zombie') return `task ${pid} ran on node ${ev.node} and is still ${t.state}`;
      }
      return null;
    },
  }),
];

export const NODE_UP_POSTCONDITIONS = [
  post<Ev<'node_up'>, NodePre>({
    id: 'post-node-up-result',
    doc: 'node_up fails with EINVAL exactly for an unknown node or one already up, else returns 0 (seed 002)',
    before: nodePre,
    check(pre, _s, _v, _ev, o) {
      const want = !pre.known || pre.up ? { err: 'EINVAL' } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'node_up'>, NodePre>({
    id: 'post-node-up-up',
    doc: 'after a successful node_up the node is up and no task moved (seed 002)',
    before: nodePre,
    check: (_pre, s, _v, ev, o) => (!('ret' in o) || s.nodesUp[ev.node] === true ? null : `node ${ev.node} is still down`),
  }),
];
