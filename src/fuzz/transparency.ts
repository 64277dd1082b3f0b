import fc from 'fast-check';
import type { Outcome } from '../reducer/outcome.js';
import { bootKernel, type Kernel, step } from '../replay/kernel.js';
import type { Task } from '../state/task.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { vpsTasks } from '../vpid/checkpoint.js';
import { pidToView } from '../vpid/view.js';
import type { GenOptions } from '../workload/gen.js';
import { generate, OpTable } from '../workload/table.js';
import { type Choice, choicesArb } from './choice.js';

/**
 * The checkpoint/restore property of reference: vps_restore / 9.1 over generated VPS workloads (a fuzz
 * property: it lives with the fuzzer, so the VPID layer imports neither replay nor fast-check): checkpoint a
 * VPS, restore the image as a new VPS, and everything the inside can read — getpid, getppid,
 * getpgid/getsid/kill 0 of every vpid, the cgroup `tasks` files, and a second checkpoint of the
 * restored VPS — must be the same. The host side is task 1 only (it creates, enters and restores),
 * so a parent outside the VPS is the same task before and after.
 */

const VPS = 101;
const RESTORED = 202;
const HIERARCHY = 'h';
const CGROUPS = ['/', '/a', '/b'];

export const TRANSPARENCY_HEADER: Pick<TraceHeader, 'semantics' | 'config'> = { semantics: 'cgroups-2009', config: { pidMax: 4096 } };

/** A named hierarchy with no subsystems (attach cannot fail) and two cgroups, then the VPS. */
const SETUP: Event[] = [
  { op: 'mount', by: 1, hierarchy: HIERARCHY, subsystems: [] },
  { op: 'mkdir', by: 1, hierarchy: HIERARCHY, path: '/a' },
  { op: 'mkdir', by: 1, hierarchy: HIERARCHY, path: '/b' },
  { op: 'vps_create', by: 1, vps: VPS },
];

/**
 * The workload inside the VPS, made by the ops' own generators (src/workload) with every caller
 * a task of VPS 101 and every host-side caller task 1 (GenOptions `scope`); forks dominate so
 * that the VPS grows. No deliberately wrong events.
 */
const TABLE = new OpTable({
  faults: false,
  weights: { fork: 8, exit: 1, kill: 2, setpgid: 3, setsid: 2, wait: 3, signal: 2, exec: 1, ptrace: 4, vps_enter: 2, attach: 3 },
});
const GEN: GenOptions = { badPercent: 0, faults: false, sharedSubset: false, scope: VPS };

export function vpsWorkloadArb(maxSteps = 40): fc.Arbitrary<Choice[]> {
  return choicesArb(TABLE.total, maxSteps);
}

/** Boots, runs the setup and the generated workload; returns the kernel and the events applied. */
export function runVpsWorkload(choices: readonly Choice[], semantics?: string): { kernel: Kernel; events: Event[] } {
  const kernel = bootKernel(TRANSPARENCY_HEADER, semantics);
  const apply = (ev: Event): void => void step(kernel, ev);
  SETUP.forEach(apply);
  const events = [...SETUP, ...generate(kernel, choices, TABLE, GEN, apply)];
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
export function restoreTransparencyProperty(maxSteps = 40, semantics?: string): fc.IPropertyWithHooks<[Choice[]]> {
  return fc.property(vpsWorkloadArb(maxSteps), (steps) => {
    const { kernel, events } = runVpsWorkload(steps, semantics);
    const failure = restoreTransparencyFailure(kernel);
    if (failure) throw new Error(`${failure}\nworkload: ${JSON.stringify(events)}`);
  });
}
