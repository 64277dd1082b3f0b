import { describe, expect, it } from 'vitest';
import { canonicalStateText } from '../../src/state/canonical.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { findNewReaper } from '../../src/kernel/subreaper.js';
import { forks, last, run, task, type Ev } from './helpers.js';

/**
 * Child subreapers (3.4; 6.18 kernel/sys.c `sys_prctl` PR_SET_CHILD_SUBREAPER /
 * PR_GET_CHILD_SUBREAPER, kernel/exit.c `find_new_reaper`), recorded on the live kernel in
 * traces/kernel/oracle-subreaper-v.json and oracle-orphan-pgrp-u.json.
 */
const L6 = 'linux-6';
const set = (by: number, arg = 1): Ev => ({ op: 'prctl', by, option: 'set_child_subreaper', arg });
const get = (by: number): Ev => ({ op: 'prctl', by, option: 'get_child_subreaper' });

describe('prctl child subreaper (6.18 sys_prctl, find_new_reaper)', () => {
  it('6.18 sys_prctl: GET is 0 by default, 1 after SET 1, 0 after SET 0; not inherited by fork (oracle subreaper_v #1, #2, #5)', () => {
    const r = run([{ op: 'fork', by: 1 }, get(2), set(2), get(2), { op: 'fork', by: 2 }, get(3), set(2, 0), get(2)], {}, L6);
    expect(r.out).toEqual([{ ret: 2 }, { ret: 0 }, { ret: 0 }, { ret: 1 }, { ret: 3 }, { ret: 0 }, { ret: 0 }, { ret: 0 }]);
  });

  it('6.18 find_new_reaper: an orphan goes to its nearest subreaper ancestor, which reaps it (oracle subreaper_v #3, #4, #6)', () => {
    // 2 (subreaper) → 3 (subreaper) → 4 → 5: when 4 exits, 5 goes to 3, the nearest
    const r = run([{ op: 'fork', by: 1 }, set(2), { op: 'fork', by: 2 }, set(3), { op: 'fork', by: 3 }, { op: 'fork', by: 4 }, { op: 'exit', by: 4, code: 0 }, { op: 'getppid', by: 5 }], {}, L6);
    expect(last(r)).toEqual({ ret: 3 });
    expect(task(r, 3)?.children).toEqual([4, 5]);
    const r2 = run([{ op: 'fork', by: 1 }, set(2), { op: 'fork', by: 2 }, { op: 'fork', by: 3 }, { op: 'exit', by: 3, code: 0 }, { op: 'exit', by: 4, code: 4 }, { op: 'wait', by: 2, pid: 4 }], {}, L6);
    expect(last(r2)).toEqual({ ret: { pid: 4, status: { exited: 4 } } });
  });

  it('6.18 find_new_reaper: a subreaper that is itself exiting or gone is passed over; without one the child reaper (init) takes the orphan', () => {
    // 2 (subreaper) exits first: its child 3 goes to init; then 3 exits and 4 goes to init too
    const r = run([{ op: 'fork', by: 1 }, set(2), { op: 'fork', by: 2 }, { op: 'fork', by: 3 }, { op: 'exit', by: 2, code: 0 }, { op: 'exit', by: 3, code: 0 }, { op: 'getppid', by: 4 }], {}, L6);
    expect(last(r)).toEqual({ ret: 1 });
    const s = r.kernel.s;
    const t4 = s.tasks.get(4);
    expect(t4 && findNewReaper(s, t4).pid).toBe(1);
  });

  it('6.18 kill_orphaned_pgrp: a subreaper new parent in the same session, another pgrp, keeps a stopped group unorphaned (oracle orphan_pgrp_u #12–#16)', () => {
    const r = run([
      { op: 'fork', by: 1 }, set(2), ...forks(2, 1), { op: 'setsid', by: 3 }, set(3), { op: 'fork', by: 3 }, { op: 'fork', by: 4 },
      { op: 'setpgid', by: 5, pid: 0, pgid: 0 }, { op: 'kill', by: 4, pid: 5, sig: 19 }, { op: 'exit', by: 4, code: 0 },
    ], {}, L6);
    expect(task(r, 5)?.parent).toBe(3);
    expect(task(r, 5)?.state).toBe('stopped');
    // the subreaper in the session exits: 5 goes to 2 (another session), its group is orphaned: SIGHUP kills it
    const r2 = run([
      { op: 'fork', by: 1 }, set(2), ...forks(2, 1), { op: 'setsid', by: 3 }, set(3), { op: 'fork', by: 3 }, { op: 'fork', by: 4 },
      { op: 'setpgid', by: 5, pid: 0, pgid: 0 }, { op: 'kill', by: 4, pid: 5, sig: 19 }, { op: 'exit', by: 4, code: 0 }, { op: 'exit', by: 3, code: 0 }, { op: 'wait', by: 2, pid: 5 },
    ], {}, L6);
    expect(last(r2)).toEqual({ ret: { pid: 5, status: { signaled: 1 } } });
  });

  it('2.6.18/2.6.33 sys_prctl: no such option before 3.4, EINVAL in both seed-era versions; the orphan goes to init', () => {
    for (const v of ['containers-2006', 'cgroups-2009']) {
      const r = run([{ op: 'fork', by: 1 }, set(2), get(2), { op: 'fork', by: 2 }, { op: 'fork', by: 3 }, { op: 'exit', by: 3, code: 0 }, { op: 'getppid', by: 4 }], { pidVirt: 'none' }, v);
      expect(r.out.slice(1, 3)).toEqual([{ err: 'EINVAL' }, { err: 'EINVAL' }]);
      expect(last(r)).toEqual({ ret: 1 });
      expect(task(r, 2)?.childSubreaper).toBe(false);
    }
  });

  it('the canonical state shows childSubreaper only while set, so a state without subreapers keeps its bytes', () => {
    const r = run([{ op: 'fork', by: 1 }, set(2)], {}, L6);
    const text = canonicalStateText(r.kernel.s, VERSIONS[L6]);
    expect(text).toContain('"childSubreaper":true');
    const r0 = run([{ op: 'fork', by: 1 }, set(2), set(2, 0)], {}, L6);
    expect(canonicalStateText(r0.kernel.s, VERSIONS[L6])).not.toContain('childSubreaper');
  });
});

describe('generated linux-6 runs with subreapers keep every invariant and postcondition', () => {
  it('40 generated runs of 80 events (the registry generator, prctl included) replay under linux-6 without a violation', async () => {
    const { bootKernel, step } = await import('../../src/replay/kernel.js');
    const { generate, OpTable } = await import('../../src/workload/table.js');
    const table = new OpTable({ faults: false });
    let prctlOk = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const k = bootKernel({ semantics: 'linux-6' });
      let x = seed;
      const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
      const choices = Array.from({ length: 80 }, () => ({ op: next() % table.total, a: next() & 0xffff, b: next() & 0xffff, c: next() & 0xffff, bad: next() % 100 }));
      const events = generate(k, choices, table, { badPercent: 10, faults: false, sharedSubset: false }, (ev) => step(k, ev));
      const r = run(events, {}, L6);
      events.forEach((ev, i) => { if (ev.op === 'prctl' && 'ret' in (r.out[i] ?? {})) prctlOk++; });
    }
    expect(prctlOk).toBeGreaterThan(0);
  });
});

describe('subreapers and pid namespaces (6.18 kernel/exit.c find_new_reaper: `task_pid(reaper)->level == ns_level`; traces/kernel/linux6-subreaper-pidns.json)', () => {
  it('a father that setns() + fork() put in a namespace below its subreaper parent gives its children to the namespace init, not to the subreaper', () => {
    const events: Ev[] = [
      { op: 'fork', by: 1 }, set(2), { op: 'fork', by: 2 }, { op: 'unshare', by: 3, flags: ['newpid'] }, { op: 'fork', by: 3 },
      { op: 'setns', by: 2, pid: 4 }, { op: 'fork', by: 2 }, { op: 'fork', by: 5 }, { op: 'exit', by: 5, code: 0 }, { op: 'getppid', by: 6 },
    ];
    const r = run(events, {}, L6);
    expect(r.out.slice(6)).toEqual([{ ret: 5 }, { ret: 3 }, { ret: 0 }, { ret: 1 }]);
    expect(task(r, 6)?.parent).toBe(4);
    expect(task(r, 4)?.children).toContain(6);
    expect(task(r, 2)?.children).not.toContain(6);
  });
});
