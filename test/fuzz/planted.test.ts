import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCampaign } from '../../src/fuzz/campaign.js';
import { err, ok, reasonOf } from '../../src/reducer/outcome.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { plantHandler, restoreHandlers } from './plant.js';

/**
 * Planted bugs (issue 12 item 5): each the kind a kernel developer writes (a check dropped, a wrong
 * errno or return value, a wrong task chosen, an effect skipped, a versions-table row wrong),
 * planted through a seam into one source file of the model, and `npm start`'s campaign (3,000
 * runs, seed 2026, up to 60 events) must find it. Which check found it, the shrunk length and the
 * time go to kreplay-planted.json in the temp directory (docs/fuzzing.md has the table).
 */
const switches = new Set<string>();

// alloc_pidmap hands out the VPID bit's first number itself (an off-by-one at the boundary seed 004 skips)
vi.mock('../../src/kernel/pidmap.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/pidmap.js')>();
  return {
    ...orig,
    allocPidmap: (ctx: Parameters<typeof orig.allocPidmap>[0]) => {
      if (switches.has('vpid-bit') && ctx.s.last === 1023 && !orig.pidInUse(ctx.s, 1024) && ctx.s.config.pidMax > 1024) {
        ctx.s.last = 1024;
        return { ok: true as const, value: 1024 };
      }
      return orig.allocPidmap(ctx);
    },
  };
});

/*
 * Bugs inside a file that no handler wrapper can reach are planted through the module boundary
 * (vi.mock: every other file of the model imports the buggy export), switched on per test.
 */

// will_become_orphaned_pgrp drops the same-session condition (a parent in another session keeps the pgrp unorphaned)
vi.mock('../../src/kernel/orphan.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/orphan.js')>();
  const buggy: typeof orig.willBecomeOrphanedPgrp = (s, pgid, ignored) => {
    for (const pid of s.pgrps.get(pgid) ?? []) {
      const p = s.tasks.get(pid);
      if (!p || p === ignored || p.state === 'zombie' || p.parent === 1) continue;
      const parent = s.tasks.get(p.parent);
      if (parent && parent.pgid !== pgid) return false;
    }
    return true;
  };
  return {
    ...orig,
    willBecomeOrphanedPgrp: (...a: Parameters<typeof orig.willBecomeOrphanedPgrp>) => (switches.has('orphan-session') ? buggy : orig.willBecomeOrphanedPgrp)(...a),
    isOrphanedPgrp: (s: Parameters<typeof orig.isOrphanedPgrp>[0], pgid: number) => (switches.has('orphan-session') ? buggy(s, pgid, null) : orig.isOrphanedPgrp(s, pgid)),
  };
});

// an orphaned pgrp with a stopped job gets SIGHUP but not the SIGCONT after it
vi.mock('../../src/kernel/hangup.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/hangup.js')>();
  const { hasStoppedJobs, willBecomeOrphanedPgrp } = await import('../../src/kernel/orphan.js');
  return {
    ...orig,
    killOrphanedPgrp: (...a: Parameters<typeof orig.killOrphanedPgrp>) => {
      if (!switches.has('hangup-no-cont')) return orig.killOrphanedPgrp(...a);
      const [ctx, pgid, ignored] = a;
      if (willBecomeOrphanedPgrp(ctx.s, pgid, ignored) && hasStoppedJobs(ctx.s, pgid)) orig.killPgrp(ctx, pgid, 1);
    },
  };
});

// change_pid(PIDTYPE_SID) forgotten: the task joins the new process group but keeps its old session
vi.mock('../../src/kernel/tasklist.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/tasklist.js')>();
  return {
    ...orig,
    changePgrp: (...a: Parameters<typeof orig.changePgrp>) => orig.changePgrp(a[0], a[1], a[2], switches.has('pgrp-keeps-sid') ? a[1].sid : a[3]),
  };
});

// free_vpid forgotten: a sparse VPS keeps the mapping of a number that was freed
vi.mock('../../src/vpid/map.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/vpid/map.js')>();
  return { ...orig, freeVpid: (...a: Parameters<typeof orig.freeVpid>) => (switches.has('vpid-leak') ? undefined : orig.freeVpid(...a)) };
});

// the VPS outlives its init: reaping the init no longer ends the VPS
vi.mock('../../src/vpid/lifecycle.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/vpid/lifecycle.js')>();
  return { ...orig, vpsTaskReaped: (...a: Parameters<typeof orig.vpsTaskReaped>) => (switches.has('vps-outlives-init') ? undefined : orig.vpsTaskReaped(...a)) };
});

// put_css_set forgets to drop the reference (a css_set leaks, with a wrong refcount)
vi.mock('../../src/cgroup/cssset.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/cssset.js')>();
  return { ...orig, putCssSet: (...a: Parameters<typeof orig.putCssSet>) => (switches.has('css-put-skipped') ? undefined : orig.putCssSet(...a)) };
});

// bitmap_parselist stops one short of a range's end (`0-2` parses as 0-1)
vi.mock('../../src/cgroup/cpulist.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/cpulist.js')>();
  return {
    ...orig,
    bitmapParselist: (text: string, nbits: number) => {
      const r = orig.bitmapParselist(text, nbits);
      if (!switches.has('cpulist-range-short') || !r.ok) return r;
      const ends = new Set([...text.matchAll(/(\d+)-(\d+)/g)].filter((m) => Number(m[2]) > Number(m[1])).map((m) => Number(m[2])));
      return { ok: true as const, value: r.value.filter((x) => !ends.has(x)) };
    },
  };
});

// validate_change drops the rule that a cpuset stays within its parent
vi.mock('../../src/cgroup/subsystems/cpuset-validate.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/subsystems/cpuset-validate.js')>();
  return {
    ...orig,
    validateChange: (...a: Parameters<typeof orig.validateChange>) => {
      const f = orig.validateChange(...a);
      return switches.has('validate-parent-dropped') && f && reasonOf(f)?.code === 'cpuset-not-within-parent' ? null : f;
    },
  };
});

// a stopped task counts as dead (isAlive tests for running, not for not-a-zombie)
vi.mock('../../src/state/task.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/state/task.js')>();
  return { ...orig, isAlive: (t: Parameters<typeof orig.isAlive>[0]) => (switches.has('alive-running-only') ? t.state === 'running' : orig.isAlive(t)) };
});

// the child reaper is always global init, even for a task inside a VPS whose init lives
vi.mock('../../src/kernel/vpsinit.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/vpsinit.js')>();
  return { ...orig, childReaper: (...a: Parameters<typeof orig.childReaper>) => (switches.has('reaper-global') ? (a[0].tasks.get(1) ?? orig.childReaper(...a)) : orig.childReaper(...a)) };
});

// cgroup_exit forgotten: an exiting task stays counted in its cgroups
vi.mock('../../src/cgroup/hooks.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/hooks.js')>();
  return { ...orig, cgroupExit: (...a: Parameters<typeof orig.cgroupExit>) => (switches.has('cgroup-exit-skipped') ? undefined : orig.cgroupExit(...a)) };
});

// the exclusive-siblings rule dropped from validate_change
vi.mock('../../src/cgroup/subsystems/cpuset-exclusive.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/subsystems/cpuset-exclusive.js')>();
  return { ...orig, exclusiveSiblingsOverlap: (...a: Parameters<typeof orig.exclusiveSiblingsOverlap>) => (switches.has('exclusive-dropped') ? null : orig.exclusiveSiblingsOverlap(...a)) };
});

// the cpuset hotplug handler forgotten: cpusets keep a cpu or mem that went offline
vi.mock('../../src/cgroup/subsystems/cpuset-hotplug.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/subsystems/cpuset-hotplug.js')>();
  return { ...orig, cpusetHotplug: (...a: Parameters<typeof orig.cpusetHotplug>) => (switches.has('hotplug-skipped') ? undefined : orig.cpusetHotplug(...a)) };
});

// restore puts every task in the root cgroups, not the ones recorded
vi.mock('../../src/vpid/cgroups.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/vpid/cgroups.js')>();
  return { ...orig, restoreCgroups: (...a: Parameters<typeof orig.restoreCgroups>) => orig.restoreCgroups(a[0], a[1], switches.has('restore-root') ? [] : a[2]) };
});

interface Bug {
  id: string;
  file: string;
  what: string;
  plant: () => void;
}

/** The fields the planted wrappers read, whatever the op (the wrappers are written for one op each). */
const E = (ev: unknown): { node?: number; code: number; pid: number; sig: number; pgid: number; request: string; file: string; hierarchy?: string; image: string; vps: number; count?: number; action: string } =>
  ev as { node?: number; code: number; pid: number; sig: number; pgid: number; request: string; file: string; hierarchy?: string; image: string; vps: number; count?: number; action: string };

const rowBackup = { ...VERSIONS['cgroups-2009'] };

const BUGS: Bug[] = [
  { id: 'wait-nohang-echild', file: 'src/kernel/wait.ts', what: 'wait under WNOHANG answers ECHILD instead of 0', plant: () => plantHandler('wait', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'ret' in r && r.ret === 0 ? err('ECHILD', 'injected', 'planted bug') : r; }) },
  { id: 'migrate-not-moving', file: 'src/cluster/migrate.ts', what: 'migrate returns 0 and leaves the task where it was', plant: () => plantHandler('migrate', (o) => (ctx, ev, c) => { const nodes = new Map([...ctx.s.tasks.values()].map((t) => [t.pid, t.node])); const r = o(ctx, ev, c); for (const t of ctx.s.tasks.values()) t.node = nodes.get(t.pid) ?? t.node; return r; }) },
  { id: 'exit-reparent-grandparent', file: 'src/kernel/reparent.ts', what: "exit reparents the children to the parent's parent, not the child reaper", plant: () => plantHandler('exit', (o) => (ctx, ev, c) => {
    const kids = [...c.children];
    const gp = ctx.s.tasks.get(c.parent);
    const r = o(ctx, ev, c);
    if ('ret' in r && gp && gp.state !== 'zombie') {
      for (const pid of kids) {
        const k = ctx.s.tasks.get(pid);
        if (!k || k.parent === gp.pid) continue;
        const reaper = ctx.s.tasks.get(k.parent);
        if (reaper) reaper.children = reaper.children.filter((x) => x !== pid);
        k.parent = gp.pid;
        gp.children.push(pid);
      }
    }
    return r;
  }) },
  { id: 'versions-row-2006-rule', file: 'src/semantics/versions.ts', what: "cgroups-2009's row takes the 2006 cpuset mask rule (intersect with the online set)", plant: () => { (VERSIONS['cgroups-2009'] as { maskWrite: string }).maskWrite = 'intersect-online'; } },
  { id: 'pidmap-vpid-bit', file: 'src/kernel/pidmap.ts', what: 'alloc_pidmap hands out 1024, the first number with the VPID bit', plant: () => switches.add('vpid-bit') },
  { id: 'rfork-ignores-node', file: 'src/kernel/fork.ts', what: 'fork with a node starts the child on the caller node', plant: () => plantHandler('fork', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); if ('ret' in r && E(ev).node !== undefined) { const kid = ctx.s.tasks.get(c.children[c.children.length - 1] ?? -1); if (kid) kid.node = c.node; } return r; }) },
  { id: 'exit-code-unmasked', file: 'src/kernel/exit.ts', what: 'exit keeps the whole code, not code & 255', plant: () => plantHandler('exit', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); if ('ret' in r && c.state === 'zombie') c.exitStatus = { exited: E(ev).code }; return r; }) },
  { id: 'kill-group-misses-one', file: 'src/kernel/signal.ts', what: 'kill of a process group does not reach its last member', plant: () => plantHandler('kill', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); if ('ret' in r && E(ev).pid <= 0 && E(ev).sig > 0) { const last = [...ctx.s.tasks.values()].filter((t) => t.pgid === (E(ev).pid === 0 ? c.pgid : -E(ev).pid) && (t.caught.get(E(ev).sig) ?? 0) > 0).pop(); if (last) last.caught.set(E(ev).sig, (last.caught.get(E(ev).sig) ?? 1) - 1); } return r; }) },
  { id: 'signal-sigkill-catchable', file: 'src/kernel/signal.ts', what: 'signal lets SIGKILL be ignored (the uncatchable check dropped)', plant: () => plantHandler('signal', (o) => (ctx, ev, c) => (E(ev).sig === 9 && E(ev).action === 'ignore' ? (c.dispositions.set(9, 'ignore'), ok(0)) : o(ctx, ev, c))) },
  { id: 'kill-wrong-errno', file: 'src/kernel/signal.ts', what: 'kill of a bad signal answers EPERM instead of EINVAL', plant: () => plantHandler('kill', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'EINVAL' ? err('EPERM', 'injected', 'planted bug') : r; }) },
  { id: 'setsid-returns-zero', file: 'src/kernel/sessions.ts', what: 'setsid returns 0 instead of the new session id', plant: () => plantHandler('setsid', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'ret' in r ? ok(0) : r; }) },
  { id: 'getpgid-global', file: 'src/kernel/sessions.ts', what: "getpgid inside a VPS returns the global pgid, not the caller's view of it", plant: () => plantHandler('getpgid', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'ret' in r && c.vps !== 0 && (E(ev).pid ?? 0) === 0 ? ok(c.pgid) : r; }) },
  { id: 'setpgid-no-move', file: 'src/kernel/sessions.ts', what: 'setpgid(pid, 0) returns 0 without moving the target', plant: () => plantHandler('setpgid', (o) => (ctx, ev, c) => (E(ev).pgid === 0 && E(ev).pid === 0 && c.pgid !== c.pid && c.sid !== c.pid ? ok(0) : o(ctx, ev, c))) },
  { id: 'exec-keeps-handlers', file: 'src/kernel/exec.ts', what: 'exec keeps the caught-signal handlers', plant: () => plantHandler('exec', () => (_ctx, _ev, c) => { c.execd = true; return ok(0); }) },
  { id: 'ptrace-attach-no-stop', file: 'src/kernel/ptrace.ts', what: 'ptrace attach does not stop the tracee', plant: () => plantHandler('ptrace', (o) => (ctx, ev, c) => { const before = new Map([...ctx.s.tasks.values()].map((t) => [t.pid, [t.state, t.stopReport] as const])); const r = o(ctx, ev, c); if ('ret' in r && E(ev).request === 'attach') for (const t of ctx.s.tasks.values()) { const b = before.get(t.pid); if (b && b[0] === 'running' && t.state === 'stopped') { t.state = 'running'; t.stopReport = b[1]; } } return r; }) },
  { id: 'wait-stop-twice', file: 'src/kernel/reap.ts', what: 'wait reports a stop and leaves it pending (reported again)', plant: () => plantHandler('wait', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); if ('ret' in r && typeof r.ret === 'object' && 'stopped' in r.ret.status) for (const t of ctx.s.tasks.values()) if (t.state === 'stopped' && t.stopReport === 0 && (t.parent === c.pid || t.tracer === c.pid)) t.stopReport = r.ret.status.stopped; return r; }) },
  { id: 'node-up-twice', file: 'src/cluster/nodes.ts', what: 'node_up of a node already up returns 0', plant: () => plantHandler('node_up' as never, (o) => ((ctx: never, ev: { node: number }) => { const s = (ctx as { s: { nodesUp: boolean[] } }).s; return s.nodesUp[E(ev).node ?? -1] === true ? ok(0) : (o as unknown as (c: never, e: never) => ReturnType<typeof ok>)(ctx, ev as never); }) as never) },
  { id: 'mkdir-exists-ok', file: 'src/cgroup/dir.ts', what: 'mkdir of an existing cgroup returns 0 (EEXIST dropped)', plant: () => plantHandler('mkdir', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'EEXIST' ? ok(0) : r; }) },
  { id: 'rmdir-busy-ok', file: 'src/cgroup/dir.ts', what: 'rmdir of a busy cgroup returns 0 (EBUSY dropped)', plant: () => plantHandler('rmdir', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'EBUSY' ? ok(0) : r; }) },
  { id: 'attach-no-move', file: 'src/cgroup/attach.ts', what: 'attach refused by can_attach returns 0 anyway', plant: () => plantHandler('attach', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'ENOSPC' ? ok(0) : r; }) },
  { id: 'release-agent-garbled', file: 'src/cgroup/files.ts', what: 'a release_agent write stores the text with a byte too many', plant: () => plantHandler('write', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); if ('ret' in r && E(ev).file === 'release_agent') for (const h of ctx.s.cg.hierarchies.values()) if (h.name === E(ev).hierarchy) h.releaseAgent += 'x'; return r; }) },
  { id: 'load-unknown-ok', file: 'src/cgroup/register.ts', what: 'load_subsys of an unknown plugin returns 0 (ENOENT dropped)', plant: () => plantHandler('load_subsys', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'ENOENT' ? ok(0) : r; }) },
  { id: 'umount-busy-ok', file: 'src/cgroup/mount.ts', what: 'umount of a busy hierarchy returns 0 and leaves it mounted', plant: () => plantHandler('umount', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'err' in r && r.err === 'EBUSY' ? ok(0) : r; }) },
  { id: 'cpu-down-last', file: 'src/cgroup/hotplug.ts', what: 'cpu_down of the last online cpu returns 0 (EBUSY dropped)', plant: () => plantHandler('cpu_down' as never, (o) => ((ctx: never, ev: never) => { const r = (o as unknown as (c: never, e: never) => { err?: string })(ctx, ev); return r.err === 'EBUSY' ? ok(0) : r; }) as never) },
  { id: 'restore-returns-vpid', file: 'src/vpid/restore.ts', what: "vps_restore returns the restored init's vpid (1), not its global pid", plant: () => plantHandler('vps_restore', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'ret' in r ? ok(1) : r; }) },
  { id: 'vps-create-returns-vpid', file: 'src/vpid/vps.ts', what: "vps_create returns the init's vpid (1), not its global pid", plant: () => plantHandler('vps_create', (o) => (ctx, ev, c) => { const r = o(ctx, ev, c); return 'ret' in r ? ok(1) : r; }) },
  { id: 'checkpoint-overwrites', file: 'src/vpid/checkpoint.ts', what: 'vps_checkpoint to an image name in use overwrites it (EEXIST dropped)', plant: () => plantHandler('vps_checkpoint', (o) => (ctx, ev, c) => { if (ctx.s.images.has(E(ev).image) && ctx.s.vpses.has(E(ev).vps) && c.vps === 0 && ctx.s.config.pidVirt === 'vpid') { ctx.s.images.delete(E(ev).image); } return o(ctx, ev, c); }) },
  { id: 'orphan-any-session', file: 'src/kernel/orphan.ts', what: 'will_become_orphaned_pgrp counts a parent in another session as keeping the pgrp unorphaned', plant: () => switches.add('orphan-session') },
  { id: 'hangup-no-sigcont', file: 'src/kernel/hangup.ts', what: 'an orphaned pgrp with a stopped job gets SIGHUP but no SIGCONT', plant: () => switches.add('hangup-no-cont') },
  { id: 'pgrp-keeps-session', file: 'src/kernel/tasklist.ts', what: 'change_pgrp moves the task to the new process group but leaves it in its old session', plant: () => switches.add('pgrp-keeps-sid') },
  { id: 'vpid-not-freed', file: 'src/vpid/map.ts', what: 'free_vpid forgotten: a sparse VPS keeps the mapping of a freed number', plant: () => switches.add('vpid-leak') },
  { id: 'vps-outlives-init', file: 'src/vpid/lifecycle.ts', what: 'reaping a VPS init does not end the VPS', plant: () => switches.add('vps-outlives-init') },
  { id: 'css-set-leak', file: 'src/cgroup/cssset.ts', what: 'put_css_set does not drop the reference', plant: () => switches.add('css-put-skipped') },
  { id: 'cpulist-range-short', file: 'src/cgroup/cpulist.ts', what: "bitmap_parselist stops one short of a range's end", plant: () => switches.add('cpulist-range-short') },
  { id: 'validate-parent-dropped', file: 'src/cgroup/subsystems/cpuset-validate.ts', what: 'validate_change lets a cpuset leave its parent', plant: () => switches.add('validate-parent-dropped') },
  { id: 'alive-running-only', file: 'src/state/task.ts', what: 'isAlive counts a stopped task as dead', plant: () => switches.add('alive-running-only') },
  { id: 'reaper-global-init', file: 'src/kernel/vpsinit.ts', what: "the child reaper is global init even inside a VPS with a live init", plant: () => switches.add('reaper-global') },
  { id: 'cgroup-exit-skipped', file: 'src/cgroup/hooks.ts', what: 'cgroup_exit forgotten: an exiting task stays counted in its cgroups', plant: () => switches.add('cgroup-exit-skipped') },
  { id: 'exclusive-dropped', file: 'src/cgroup/subsystems/cpuset-exclusive.ts', what: 'validate_change lets exclusive siblings overlap', plant: () => switches.add('exclusive-dropped') },
  { id: 'hotplug-skipped', file: 'src/cgroup/subsystems/cpuset-hotplug.ts', what: 'cpusets keep a cpu or mem that went offline', plant: () => switches.add('hotplug-skipped') },
  { id: 'restore-root-cgroups', file: 'src/vpid/cgroups.ts', what: 'restore puts the tasks in the root cgroups, not the recorded ones', plant: () => switches.add('restore-root') },
];

interface Found {
  id: string;
  file: string;
  what: string;
  check: string;
  kind: string;
  events: number;
  run: number;
  seconds: number;
}
const found: Found[] = [];

afterEach(async () => {
  restoreHandlers();
  switches.clear();
  Object.assign(VERSIONS['cgroups-2009'], rowBackup);
  // each campaign holds the worker for many seconds: let vitest's pending messages (the finished
  // test's report, its answer) through before the next one, or a loaded machine times them out
  await new Promise((resolve) => setTimeout(resolve, 300));
});
afterAll(() => {
  writeFileSync(join(tmpdir(), 'kreplay-planted.json'), JSON.stringify(found, null, 1) + '\n');
});

describe("planted bugs: npm start's campaign (3,000 runs, seed 2026) finds each (issue 12 item 5)", () => {
  it('there are at least 40, over at least 35 source files of the model', () => {
    expect(BUGS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BUGS.map((b) => b.file)).size).toBeGreaterThanOrEqual(35);
  });
  for (const bug of BUGS) {
    it(`${bug.id} (${bug.file}): ${bug.what}`, () => {
      bug.plant();
      const t0 = performance.now();
      const r = runCampaign({ runs: 3000, seed: 2026, maxEvents: 60, faults: false });
      const seconds = (performance.now() - t0) / 1000;
      expect(r.counterexample, 'not found').not.toBeNull();
      const cx = r.counterexample!;
      found.push({ id: bug.id, file: bug.file, what: bug.what, check: cx.failure.name, kind: cx.failure.kind, events: cx.result.events.length, run: cx.run, seconds: Math.round(seconds * 10) / 10 });
    }, 300_000);
  }
});
