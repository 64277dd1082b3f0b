import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVARIANTS, type Invariant, type Violation } from '../../src/invariants/index.js';
import { dedupeTouched, emptyTouched, type Touched } from '../../src/invariants/touched.js';
import { DEATH_OPS, FULL_OPS } from '../../src/replay/incremental.js';
import { bootKernel, type Kernel, step } from '../../src/replay/kernel.js';
import { TouchRecorder } from '../../src/replay/record.js';
import type { Cgroup, Hierarchy } from '../../src/cgroup/types.js';
import type { Task } from '../../src/state/task.js';
import type { KernelState } from '../../src/state/types.js';
import type { Event, TraceHeader } from '../../src/trace/schema-types.js';
import { BENCH_HEADER, benchWorkload } from '../../src/workload/bench.js';

const header: TraceHeader = BENCH_HEADER;
const key = (v: Violation): string => `${v.invariant}|${v.subject}|${v.message}`;

function fullViolations(k: Kernel, before: unknown[]): Violation[] {
  return INVARIANTS.flatMap((inv: Invariant, i) => inv.check(k.s, k.v, before[i]));
}

/** A kernel after `n` events of the benchmark workload from `seed`. */
function busyKernel(seed: number, n: number): Kernel {
  const k = bootKernel(header);
  const w = benchWorkload(k, step, seed, 48);
  for (let j = 0; j < n; j++) w.next();
  return k;
}

/** What `change` reports to the checker's recorder, collected as the checker collects an event; `change`'s result alongside. */
function recording<T>(k: Kernel, change: (record: TouchRecorder) => T): { touched: Touched; result: T } {
  const touched = emptyTouched();
  try {
    return { touched, result: change(new TouchRecorder(k.s, touched)) };
  } finally {
    dedupeTouched(touched);
  }
}

/** Full checking reports `invariant`; the scoped checks report it too, and nothing full checking does not. */
function expectScopedReports(k: Kernel, touched: Touched, invariant: string): void {
  const full = fullViolations(k, []).map(key);
  expect(full.some((x) => x.startsWith(`${invariant}|`))).toBe(true);
  const scoped = INVARIANTS.flatMap((inv) => inv.checkTouched?.(k.s, k.v, touched, undefined) ?? []).map(key);
  expect(scoped.some((x) => x.startsWith(`${invariant}|`))).toBe(true);
  for (const x of scoped) expect(full, x).toContain(x);
}

/**
 * Issue 6: per-event scoped checks (Invariant.checkTouched) against full checks, event by event, on
 * the benchmark workload (state-aware, valid): each scoped check must report exactly what the full
 * check reports (nothing, on a valid workload) after every event it runs for.
 */
describe('scoped invariant checks after every event (issue 6, reference: Invariants and postconditions)', () => {
  it('property: on random valid workloads, scoped checking after every event reports exactly what full checking after every event reports', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 50, max: 600 }), (seed, n) => {
        const k = bootKernel(header);
        const w = benchWorkload(bootKernel(header), step, seed, 48);
        const touched: Touched = emptyTouched();
        const record = new TouchRecorder(k.s, touched);
        const before: unknown[] = [];
        for (let j = 0; j < n; j++) {
          const { expect: _e, ...ev } = w.next() as Event & { expect?: unknown };
          void _e;
          INVARIANTS.forEach((inv, i) => (before[i] = inv.before?.(k.s, k.v)));
          // What scoped checks keep lives from event to event, as in the checker, which drops it at a wholesale op.
          const wholesale = FULL_OPS.has(ev.op as Event['op']);
          const kept = wholesale ? {} : { links: touched.links, online: touched.online, vpsTasks: touched.vpsTasks };
          Object.assign(touched, emptyTouched(), { cssSetIdsFrom: k.s.cg.nextCssSetId, ...kept });
          step(k, ev as Event, record);
          // As the checker does: the scoped checks read the state before the event from the first touches.
          dedupeTouched(touched);
          const full = fullViolations(k, before).map(key);
          if (FULL_OPS.has(ev.op as Event['op'])) continue;
          const scoped = INVARIANTS.flatMap((inv, i) =>
            inv.before && !DEATH_OPS.has(ev.op as Event['op']) ? [] : (inv.checkTouched?.(k.s, k.v, touched, before[i]) ?? inv.check(k.s, k.v, before[i])),
          ).map(key);
          expect(scoped).toEqual(full);
          // The kept index of each VPS's tasks, read only when an event names the VPS, lists them all.
          const index = touched.vpsTasks;
          for (const id of index ? k.s.vpses.keys() : []) {
            const listed = [...(index?.byVps.get(id) ?? [])].filter((p) => k.s.tasks.get(p)?.vps === id);
            const tasks = [...k.s.tasks.values()].filter((t) => t.vps === id).map((t) => t.pid);
            expect(listed.sort((a, b) => a - b)).toEqual(tasks.sort((a, b) => a - b));
          }
        }
      }),
      { numRuns: 15, seed: 11 },
    );
  });

  /** Corruptions of one task, with that task named as touched. */
  const TASK_CORRUPTIONS: Record<string, (s: KernelState, pid: number) => void> = {
    'ptrace-links': (s, pid) => void ((s.tasks.get(pid) as { tracer: number }).tracer = pid),
    cluster: (s, pid) => void ((s.tasks.get(pid) as { node: number }).node = 99),
    'pgrp-session': (s, pid) => void s.pgrps.get(s.tasks.get(pid)?.pgid ?? -1)?.delete(pid),
    'task-tree': (s, pid) => void s.tasks.get(pid)?.children.push(999_999),
    'cgroup-tree': (s, pid) => void ((s.tasks.get(pid) as { cssSet: number }).cssSet = 424_242),
  };

  it('property: on a task corrupted on purpose and named as touched, the scoped check reports the violation, and only violations full checking reports', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 300 }), fc.constantFrom(...Object.keys(TASK_CORRUPTIONS)), fc.nat(), (seed, n, kind, pick) => {
        const k = busyKernel(seed, n);
        const live = [...k.s.tasks.values()].filter((t) => t.state !== 'zombie' && t.pid !== 1);
        if (live.length === 0) return;
        const t = live[pick % live.length] as { pid: number };
        TASK_CORRUPTIONS[kind]?.(k.s, t.pid);
        const touched = emptyTouched();
        touched.tasks.push(t.pid);
        const full = new Set(fullViolations(k, []).map(key));
        const scoped = INVARIANTS.flatMap((inv) => inv.checkTouched?.(k.s, k.v, touched, undefined) ?? []);
        expect(scoped.some((v) => v.invariant === kind)).toBe(true);
        for (const v of scoped) expect(full.has(key(v)), key(v)).toBe(true);
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  /**
   * Model bugs at the choke points, recorded as the model records its changes (`record.task` and
   * `record.number` first): the scoped checks answer pid-unique, css-set and vpid-bijection from what
   * the event changed (`heldCounts`, `cssSetRefs`, `mayCross` in src/invariants/holds.ts) and count
   * over the tasks only when that disagrees with the indexes; each bug must still be reported, and
   * with full checking's message.
   */
  const free = (s: KernelState): number => {
    let n = 300;
    while (s.numUse.has(n)) n++;
    return n;
  };
  const CHOKE_POINT_BUGS: Record<string, (s: KernelState, t: Task, record: TouchRecorder) => boolean> = {
    // getPidNum takes a hold nobody has.
    'pid-unique': (s, t, record) => {
      record.number(t.pgid);
      s.numUse.set(t.pgid, (s.numUse.get(t.pgid) ?? 0) + 1);
      return true;
    },
    // changePgrp moves the task without taking the new pgid's hold (numUse and pgrps unchanged).
    'pid-unique/pgid': (s, t, record) => {
      const n = free(s);
      record.task(t);
      record.number(t.pgid);
      record.number(n);
      t.pgid = n;
      return true;
    },
    // The holds move with it, but into a number a VPS uses (or out of one, for a VPS task).
    'vpid-bijection': (s, t, record) => {
      const other = [...s.tasks.values()].find((x) => x.vps !== t.vps && x.pid === x.pgid);
      if (!other) return false;
      record.task(t);
      record.number(t.sid);
      record.number(other.pgid);
      s.numUse.set(other.pgid, (s.numUse.get(other.pgid) ?? 0) + 1);
      s.numUse.set(t.sid, (s.numUse.get(t.sid) ?? 0) - 1);
      t.sid = other.pgid;
      return true;
    },
    // setpgid into a pgrp of another session (changePgrp keeps the sid): the pgrp spans two sessions.
    'pgrp-session': (s, t, record) => {
      const other = [...s.tasks.values()].find((x) => x.sid !== t.sid && x.pid === x.pgid && x.state !== 'zombie' && x.vps === t.vps);
      if (!other) return false;
      record.task(t);
      record.number(t.pgid);
      record.number(other.pgid);
      s.pgrps.get(t.pgid)?.delete(t.pid);
      s.pgrps.get(other.pgid)?.add(t.pid);
      t.pgid = other.pgid;
      return true;
    },
    // switchCssSet moves the task but charges neither the refcount nor the list of the css_set it
    // joins: that css_set's index agrees with its refcount.
    'css-set': (s, t, record) => {
      const from = s.cg.cssSets.get(t.cssSet);
      const to = [...s.cg.cssSets.values()].find((cs) => cs !== from && cs.refcount > 0);
      if (!from || !to) return false;
      record.task(t);
      t.cssSet = to.id;
      from.tasks.delete(t.pid);
      from.refcount--;
      return true;
    },
  };

  it('property: a model bug at a choke point is reported by the scoped check, with the messages of full checking', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 300 }), fc.constantFrom(...Object.keys(CHOKE_POINT_BUGS)), fc.nat(), (seed, n, kind, pick) => {
        const k = busyKernel(seed, n);
        const live = [...k.s.tasks.values()].filter((t) => t.state !== 'zombie' && t.pid !== 1 && t.pid !== t.sid);
        if (live.length === 0) return;
        const t = live[pick % live.length] as Task;
        const { touched, result: made } = recording(k, (record) => (CHOKE_POINT_BUGS[kind] as (s: KernelState, t: Task, record: TouchRecorder) => boolean)(k.s, t, record));
        if (made) expectScopedReports(k, touched, kind.split('/')[0] as string);
      }),
      { numRuns: 80, seed: 13 },
    );
  });

  /** Model bugs in rmdir, after rmdir reported the cgroup it removes (as src/cgroup/dir.ts does). */
  const RMDIR_BUGS: Record<string, (h: Hierarchy, cg: Cgroup) => void> = {
    // The cgroup goes, but its parent still lists it.
    'cgroup-tree': (h, cg) => void h.cgroups.delete(cg.path),
    // A cgroup tasks are still in goes: their css_sets point at nothing.
    'css-set': (h, cg) => {
      h.cgroups.delete(cg.path);
      const parent = h.cgroups.get(cg.parent as string);
      if (parent) parent.children = parent.children.filter((p) => p !== cg.path);
    },
  };

  it('property: a model bug in rmdir is reported by the scoped check (the cgroup, its parent, the css_sets filed under it), with the messages of full checking', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 50, max: 400 }), fc.constantFrom(...Object.keys(RMDIR_BUGS)), fc.nat(), (seed, n, kind, pick) => {
        const k = busyKernel(seed, n);
        const leaves = [...k.s.cg.hierarchies.values()].flatMap((h) =>
          [...h.cgroups.values()].filter((cg) => cg.parent !== null && cg.children.length === 0 && (kind !== 'css-set' || cg.taskCount > 0)).map((cg) => ({ h, cg })),
        );
        if (leaves.length === 0) return;
        const { h, cg } = leaves[pick % leaves.length] as { h: Hierarchy; cg: Cgroup };
        const { touched } = recording(k, (record) => {
          record.cgroup(h.name, cg.path, cg.parent as string, false);
          (RMDIR_BUGS[kind] as (h: Hierarchy, cg: Cgroup) => void)(h, cg);
        });
        expectScopedReports(k, touched, kind);
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it('property: a fork that joins its css_set without counting it (cgroup_fork bug) is reported by the scoped check: the child joined the css_set in that event', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 300 }), fc.nat(), fc.constantFrom('cgroup-tree', 'css-set'), (seed, n, pick, kind) => {
        const k = busyKernel(seed, n);
        const live = [...k.s.tasks.values()].filter((t) => t.state !== 'zombie' && t.vps === 0);
        const parent = live[pick % live.length] as Task;
        const ev: Event = { op: 'fork', by: parent.pid };
        const { touched } = recording(k, (record) => step(k, ev, record));
        const child = k.s.tasks.get(touched.tasks[0] as number);
        const cs = child && k.s.cg.cssSets.get(child.cssSet);
        if (!child || child.parent !== parent.pid || !cs) return;
        if (kind === 'cgroup-tree') {
          for (const [hn, path] of cs.cgroups) {
            const cg = k.s.cg.hierarchies.get(hn)?.cgroups.get(path);
            if (cg) cg.taskCount--;
          }
        } else cs.refcount--;
        expectScopedReports(k, touched, kind);
      }),
      { numRuns: 40, seed: 15 },
    );
  });
});
