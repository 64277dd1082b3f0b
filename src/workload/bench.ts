import type { Op } from '../reducer/context.js';
import type { Outcome } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { WorkloadStream } from './stream.js';

/**
 * The benchmark workload (bench/, docs/performance.md; test/perf replays it too): a machine of
 * about `population` tasks that fork, exec, exit and get reaped, move between cgroups of three
 * hierarchies (cpuset, net_cls, a named one), signal each other, form process groups and
 * sessions, with some ptrace, migration, hotplug, fault injection, subsystem load/unload and VPS
 * create/enter/checkpoint/restore. Every event is made by the op's own generator against the
 * current state (WorkloadStream), a few of them deliberately wrong.
 */
export const BENCH_HEADER: TraceHeader = { kreplay: 1, semantics: 'cgroups-2009', config: { cpus: 4, mems: 2, nodes: 3 } };

/** Per 10,000 events; fork and exit share their 2,500 by the population. */
export const BENCH_WEIGHTS: Partial<Record<Op, number>> = {
  fork: 1250, exit: 1250, wait: 1300, attach: 1100, kill: 650, exec: 400, read: 400, getpid: 300, getppid: 250,
  setpgid: 300, write: 300, signal: 250, getpgid: 200, mkdir: 200, ptrace: 250, getsid: 150, setsid: 150,
  rmdir: 150, migrate: 150, vps_enter: 25, vps_create: 20, inject: 15, vps_checkpoint: 8, vps_restore: 8,
  cpu_down: 2, cpu_up: 2, mem_down: 1, mem_up: 1, node_down: 2, node_up: 2, mount: 2, umount: 2,
  load_subsys: 2, unload_subsys: 2,
};

/** The three hierarchies, set up before anything else. */
export const BENCH_PROLOGUE: readonly Event[] = [
  { op: 'load_subsys', by: 1, name: 'net_cls' },
  { op: 'mount', by: 1, hierarchy: 'cpu', subsystems: ['cpuset'] },
  { op: 'mount', by: 1, hierarchy: 'net', subsystems: ['net_cls'] },
  { op: 'mount', by: 1, hierarchy: 'u', subsystems: [] },
];

/** Percentage of deliberately wrong events. */
export const BENCH_BAD_PERCENT = 8;

/** Cgroups a hierarchy grows to at most: a mkdir beyond is refused, so the tree stays the same size. */
const MAX_CGROUPS = 24;

/**
 * Refused: a lethal or stopping signal to every task (`kill -1`), which would end or freeze the
 * whole machine at once (the harmless ones, 0, SIGCHLD and SIGCONT, stay), and a mkdir in a full
 * hierarchy.
 */
function refuse(ev: Event, s: KernelState): boolean {
  if (ev.op === 'kill') return ev.pid === -1 && ev.sig !== 0 && ev.sig !== 17 && ev.sig !== 18;
  if (ev.op !== 'mkdir') return false;
  const h = ev.hierarchy === undefined ? undefined : s.cg.hierarchies.get(ev.hierarchy);
  return h !== undefined && h.cgroups.size >= MAX_CGROUPS;
}

/** The benchmark workload on kernel `k` (booted from BENCH_HEADER), applied by `step`. */
export function benchWorkload<K extends { s: KernelState; v: SemanticVersion }>(k: K, step: (k: K, ev: Event) => Outcome, seed: number, population = 256): WorkloadStream<K> {
  return new WorkloadStream(k, step, { seed, weights: BENCH_WEIGHTS, badPercent: BENCH_BAD_PERCENT, population, prologue: BENCH_PROLOGUE, refuse });
}
