import type { Outcome } from '../reducer/outcome.js';
import { cloneKernel, type Kernel, step } from '../replay/kernel.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { observeVps } from './transparency.js';
import { pidToView } from '../vpid/view.js';
import type { Failure } from './failure.js';

const IMAGE = '__fuzz_ckpt';

/**
 * What the inside of a VPS can observe (reference: vps_restore): per task, in vpid order, its vpid, run state,
 * getpid/getppid/getpgid/getsid; and the `tasks` file of every cgroup as the VPS init reads it.
 * getppid of a task whose parent is outside the VPS is left out: a restore gives such tasks the
 * restoring caller as parent (reference: vps_restore), so that value names a host task, not the VPS.
 */
function observe(k: Kernel, vps: number): unknown[] {
  const s = k.s;
  const init = s.vpses.get(vps)?.init ?? 0;
  const tasks = [...s.tasks.values()].filter((t) => t.vps === vps);
  const vpidOf = (t: Task): number => pidToView(s, t, t.pid);
  tasks.sort((a, b) => vpidOf(a) - vpidOf(b));
  const run = (ev: Event): Outcome => step(k, ev);
  const out: unknown[] = [];
  for (const t of tasks) {
    const parent = s.tasks.get(t.parent);
    const row: unknown[] = [vpidOf(t), t.state, run({ op: 'getpid', by: t.pid }), run({ op: 'getpgid', by: t.pid }), run({ op: 'getsid', by: t.pid })];
    if (parent && parent.vps === vps) row.push(run({ op: 'getppid', by: t.pid }));
    out.push(row);
  }
  if (init && s.tasks.get(init)?.state === 'running') {
    for (const h of [...s.cg.hierarchies.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      for (const path of [...h.cgroups.keys()].sort()) {
        const r = run({ op: 'read', by: init, hierarchy: h.name, path, file: 'tasks' });
        if ('ret' in r && r.ret !== '') out.push([h.name, path, r.ret]);
      }
    }
  }
  return out;
}

/** An observation row as JSON written once (the vpid area's observer gives rows already written as text). */
const rowText = (row: unknown): string => (typeof row === 'string' ? row : JSON.stringify(row));

function firstDifferentRow(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Whether every task of VPS `vps` whose parent is outside it has global init as that parent. */
function hostParentsAreInit(k: Kernel, vps: number): boolean {
  for (const t of k.s.tasks.values()) {
    if (t.vps !== vps) continue;
    const p = k.s.tasks.get(t.parent);
    if (p && p.vps !== vps && p.pid !== 1) return false;
  }
  return true;
}

/**
 * checkpoint/restore transparency (reference: vps_restore): on a copy of the final state, checkpoint every VPS
 * with a live init and restore it as a new VPS; the restored one must look the same from inside.
 * Skipped when checkpoint or restore fails (e.g. no free pids). `spare`, a kernel in the same
 * state as `final` that nothing reads afterwards (the runner's second replay, once determinism has
 * compared it with `final`), is used up instead of the first copy: the copy was a third of the
 * property's cost.
 */
export function vpsTransparencyFailure(final: Kernel, spare: Kernel | null = null): Failure | null {
  let free = spare;
  for (const [id, vps] of [...final.s.vpses.entries()].sort((a, b) => a[0] - b[0])) {
    const init = final.s.tasks.get(vps.init);
    if (!init || init.state === 'zombie') continue;
    const k: Kernel = free ?? cloneKernel(final);
    free = null;
    const fresh = Math.max(0, ...k.s.vpses.keys()) + 1;
    const image = IMAGE + id;
    if (!('ret' in step(k, { op: 'vps_checkpoint', by: 1, vps: id, image }))) continue;
    if (!('ret' in step(k, { op: 'vps_restore', by: 1, vps: fresh, image }))) continue;
    // the vpid area's observer when every outside parent is task 1 (the restoring caller), else ours
    const see = hostParentsAreInit(k, id) ? observeVps : observe;
    const a = see(k, id).map(rowText);
    const b = see(k, fresh).map(rowText);
    const row = firstDifferentRow(a, b);
    if (row >= 0) {
      const message = `VPS ${id} restored as ${fresh} looks different from inside: row ${row + 1} of ${a.length} is ${a[row] ?? 'missing'}, restored ${b[row] ?? 'missing'}`;
      return { kind: 'property', name: 'checkpoint-transparency', index: 0, message };
    }
  }
  return null;
}
