import fc from 'fast-check';
import type { Outcome } from '../reducer/outcome.js';
import { bootKernel, type Kernel, step } from '../replay/kernel.js';
import type { Task } from '../state/task.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { vpsTasks } from '../vpid/checkpoint.js';
import { VPID_DIV } from '../vpid/types.js';
import { pidToView } from '../vpid/view.js';

/**
 * The checkpoint/restore property of reference: vps_restore / 9.1 over generated VPS workloads (a fuzz
 * property: it lives with the fuzzer, so the VPID layer imports neither replay nor fast-check): checkpoint a
 * VPS, restore the image as a new VPS, and everything the inside can read — getpid, getppid,
 * getpgid/getsid/kill 0 of every vpid, the cgroup `tasks` files, and a second checkpoint of the
 * restored VPS — must be the same. The host side is task 1 only (it creates, enters and restores),
 * so a parent outside the VPS is the same task before and after.
 */

/** One abstract step: small integers turned into an event against the current state. */
export interface VpsStep {
  kind: number;
  a: number;
  b: number;
  c: number;
}

const VPS = 101;
const RESTORED = 202;
const HIERARCHY = 'h';
const CGROUPS = ['/', '/a', '/b'];
const SIGNALS = [0, 1, 9, 15, 17, 18, 19, 20, 10];
const ACTIONS = ['default', 'ignore', 'catch'] as const;

export const TRANSPARENCY_HEADER: Pick<TraceHeader, 'semantics' | 'config'> = { semantics: 'cgroups-2009', config: { pidMax: 4096 } };

/** A named hierarchy with no subsystems (attach cannot fail) and two cgroups, then the VPS. */
const SETUP: Event[] = [
  { op: 'mount', by: 1, hierarchy: HIERARCHY, subsystems: [] },
  { op: 'mkdir', by: 1, hierarchy: HIERARCHY, path: '/a' },
  { op: 'mkdir', by: 1, hierarchy: HIERARCHY, path: '/b' },
  { op: 'vps_create', by: 1, vps: VPS },
];

/** Step kinds (cases of `concretize`) repeated by weight: forks dominate so that VPSs grow. */
const KINDS = [0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 11, 12, 12, 13, 13, 13, 14, 15];

export function vpsStepArb(): fc.Arbitrary<VpsStep> {
  return fc.record({ kind: fc.nat(KINDS.length - 1), a: fc.nat(63), b: fc.nat(1023), c: fc.nat(255) });
}

export function vpsWorkloadArb(maxSteps = 40): fc.Arbitrary<VpsStep[]> {
  return fc.array(vpsStepArb(), { maxLength: maxSteps, size: 'max' });
}

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

/** The concrete event of `st` in state `k`: callers and targets are tasks of the VPS, numbers in their view. */
function concretize(k: Kernel, st: VpsStep): Event | null {
  const tasks = vpsTasks(k.s, VPS);
  const me = pick(tasks, st.a);
  if (!me) return null;
  const by = me.pid;
  const target = pick(tasks, st.b) as Task;
  const third = pick(tasks, st.c) as Task;
  const view = (t: Task): number => pidToView(k.s, me, t.pid);
  switch (KINDS[st.kind % KINDS.length]) {
    case 0: return { op: 'fork', by };
    case 1: return { op: 'fork', by, vpid: VPID_DIV + (st.b % 512) };
    case 2: return me.pid === k.s.vpses.get(VPS)?.init ? { op: 'getpid', by } : { op: 'exit', by, code: st.c };
    case 3: return { op: 'kill', by, pid: st.c % 5 === 0 ? -pidToView(k.s, me, target.pgid) : view(target), sig: SIGNALS[st.c % SIGNALS.length] as number };
    case 4: return { op: 'setpgid', by, pid: view(target), pgid: st.c % 3 === 0 ? 0 : view(third) };
    case 5: return { op: 'setsid', by };
    case 6: return { op: 'wait', by, pid: -1, nohang: true, untraced: st.b % 2 === 0, continued: st.c % 2 === 0 };
    case 7: return { op: 'signal', by, sig: SIGNALS[st.b % SIGNALS.length] || 1, action: ACTIONS[st.c % 3] as (typeof ACTIONS)[number] };
    case 8: return { op: 'exec', by };
    case 9: return { op: 'ptrace', by, request: 'attach', pid: view(target) };
    case 10: return { op: 'ptrace', by, request: st.c % 2 ? 'detach' : 'cont', pid: view(target), sig: 0 };
    case 11: return { op: 'vps_enter', by: 1, vps: VPS };
    case 12: return { op: 'fork', by: 1 };
    case 13: return { op: 'attach', by: 1, hierarchy: HIERARCHY, path: CGROUPS[st.c % 3] as string, pid: target.pid };
    case 14: return { op: 'ptrace', by, request: 'traceme' };
    default: return { op: 'wait', by, pid: st.c % 2 ? -1 : view(target), nohang: st.b % 4 !== 0 };
  }
}

/** Boots, runs the setup and the concretized workload; returns the kernel and the events applied. */
export function runVpsWorkload(steps: readonly VpsStep[], semantics?: string): { kernel: Kernel; events: Event[] } {
  const kernel = bootKernel(TRANSPARENCY_HEADER, semantics);
  const events: Event[] = [];
  const apply = (ev: Event): void => {
    events.push(ev);
    step(kernel, ev);
  };
  SETUP.forEach(apply);
  for (const st of steps) {
    const ev = concretize(kernel, st);
    if (ev) apply(ev);
  }
  return { kernel, events };
}

/** An outcome without its side information, as a value (rows are written as JSON once). */
const text = (o: Outcome): unknown => ('ret' in o ? { ret: o.ret } : 'err' in o ? { err: o.err } : o);

/** Everything the inside of `vpsId` can read, keyed by vpid (reference: vps_restore's list and then some). */
export function observeVps(k: Kernel, vpsId: number): string[] {
  const tasks = vpsTasks(k.s, vpsId);
  const vps = k.s.vpses.get(vpsId);
  const init = vps ? k.s.tasks.get(vps.init) : undefined;
  if (!init) return ['no VPS'];
  const vpid = (t: Task): number => pidToView(k.s, init, t.pid);
  const numbers = [...new Set(tasks.flatMap((t) => [t.pid, t.pgid, t.sid]))].map((n) => pidToView(k.s, init, n)).sort((a, b) => a - b);
  const out: string[] = [];
  for (const t of [...tasks].sort((a, b) => vpid(a) - vpid(b))) {
    const by = t.pid;
    const row: unknown[] = [vpid(t), t.state, text(step(k, { op: 'getpid', by })), text(step(k, { op: 'getppid', by }))];
    for (const n of numbers) {
      row.push(text(step(k, { op: 'getpgid', by, pid: n })), text(step(k, { op: 'getsid', by, pid: n })));
      row.push(text(step(k, { op: 'kill', by, pid: n, sig: 0 })), text(step(k, { op: 'kill', by, pid: -n, sig: 0 })));
    }
    out.push(JSON.stringify(row));
  }
  for (const path of CGROUPS) out.push(path + ' ' + JSON.stringify(text(step(k, { op: 'read', by: init.pid, hierarchy: HIERARCHY, path, file: 'tasks' }))));
  return out;
}

/**
 * Checkpoints VPS 101 of `k`, restores it as VPS 202 (both by task 1), and compares what each
 * shows from inside, then the images of both. Returns a description of the first difference, or
 * null (also when there is nothing to compare: the VPS has ended, or the restore itself failed
 * for want of free pids).
 */
export function restoreTransparencyFailure(k: Kernel): string | null {
  const vps = k.s.vpses.get(VPS);
  if (!vps || k.s.tasks.get(vps.init)?.state === 'zombie') return null;
  const c = step(k, { op: 'vps_checkpoint', by: 1, vps: VPS, image: 'before' });
  if (!('ret' in c)) return `vps_checkpoint failed: ${text(c)}`;
  const r = step(k, { op: 'vps_restore', by: 1, vps: RESTORED, image: 'before' });
  if ('err' in r && r.err === 'EAGAIN') return null;
  if (!('ret' in r)) return `vps_restore failed: ${text(r)}`;
  const a = observeVps(k, VPS);
  const b = observeVps(k, RESTORED);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `from inside, VPS ${VPS} shows ${a[i]} but the restored VPS ${RESTORED} shows ${b[i]}`;
  }
  step(k, { op: 'vps_checkpoint', by: 1, vps: RESTORED, image: 'after' });
  const before = JSON.stringify(k.s.images.get('before')?.tasks);
  const after = JSON.stringify(k.s.images.get('after')?.tasks);
  return before === after ? null : `images differ: ${before} vs ${after}`;
}

/**
 * The property, for a test (a few hundred runs) or the fuzz campaign (thousands). `semantics`
 * overrides cgroups-2009 (under containers-2006 the named hierarchy does not exist and the
 * cgroup part of the workload fails alike in both VPSs).
 */
export function restoreTransparencyProperty(maxSteps = 40, semantics?: string): fc.IPropertyWithHooks<[VpsStep[]]> {
  return fc.property(vpsWorkloadArb(maxSteps), (steps) => {
    const { kernel, events } = runVpsWorkload(steps, semantics);
    const failure = restoreTransparencyFailure(kernel);
    if (failure) throw new Error(`${failure}\nworkload: ${JSON.stringify(events)}`);
  });
}
