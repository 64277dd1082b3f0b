import { describe, expect, it } from 'vitest';
import { replayEvents } from '../../src/replay/replay.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Event } from '../../src/trace/schema-types.js';
import { last, run, vpsWith } from './helpers.js';

describe('reference: vps_create vps_create (seed 004 vps_info_t: id, init_task, linear at first)', () => {
  it('reference: vps_create: with pidVirt "none" every vps_* operation is ENOSYS', () => {
    const none = { pidVirt: 'none' as const };
    expect(last([{ op: 'vps_create', by: 1, vps: 1 }], none)).toEqual({ err: 'ENOSYS' });
    expect(last([{ op: 'vps_enter', by: 1, vps: 1 }], none)).toEqual({ err: 'ENOSYS' });
    expect(last([{ op: 'vps_checkpoint', by: 1, vps: 1, image: 'i' }], none)).toEqual({ err: 'ENOSYS' });
    expect(last([{ op: 'vps_restore', by: 1, vps: 1, image: 'i' }], none)).toEqual({ err: 'ENOSYS' });
  });

  it('seed 004 alloc_vpid(pid, 1): the init is forked with vpid 1 as leader of a new session and pgrp; returns its global pid', () => {
    const { out, k } = run([{ op: 'fork', by: 1 }, { op: 'vps_create', by: 2, vps: 101 }, { op: 'getpid', by: 3 }, { op: 'getppid', by: 3 }, { op: 'getpgid', by: 3 }, { op: 'getsid', by: 1, pid: 3 }]);
    expect(out).toEqual([{ ret: 2 }, { ret: 3 }, { ret: 1 }, { ret: 0 }, { ret: 1 }, { ret: 3 }]);
    expect(k.s.vpses.get(101)).toMatchObject({ id: 101, init: 3, mode: 'linear' });
    expect(k.s.tasks.get(3)).toMatchObject({ parent: 2, vps: 101, pgid: 3, sid: 3 });
  });

  it('reference: vps_create vps_create errno order: EPERM inside a VPS (before EINVAL), EINVAL for vps <= 0, EEXIST', () => {
    expect(last([...vpsWith(0), { op: 'vps_create', by: 2, vps: 0 }])).toEqual({ err: 'EPERM' });
    expect(last([{ op: 'vps_create', by: 1, vps: 0 }])).toEqual({ err: 'EINVAL' });
    expect(last([{ op: 'vps_create', by: 1, vps: -5 }])).toEqual({ err: 'EINVAL' });
    expect(last([...vpsWith(0), { op: 'vps_create', by: 1, vps: 101 }])).toEqual({ err: 'EEXIST' });
  });

  it('reference: inject, Outcomes: an injected fork fault fails vps_create; no VPS exists and only the injection is consumed', () => {
    const before = replayEvents({}, []);
    const after = replayEvents({}, [{ op: 'inject', point: 'fork', err: 'ENOMEM' }, { op: 'vps_create', by: 1, vps: 3 }]);
    expect(after.outcomes.at(-1)).toEqual({ err: 'ENOMEM' });
    expect(canonicalStateText(after.kernel.s, after.kernel.v)).toBe(canonicalStateText(before.kernel.s, before.kernel.v));
  });
});

describe('reference: vps_create vps_enter', () => {
  it('reference: vps_create vps_enter: a child of the host caller, leader of a new session inside the VPS; returns its global pid', () => {
    const { out, k } = run([...vpsWith(0), { op: 'vps_enter', by: 1, vps: 101 }, { op: 'getpid', by: 3 }, { op: 'getsid', by: 3 }, { op: 'getppid', by: 3 }]);
    expect(out.slice(1)).toEqual([{ ret: 3 }, { ret: 1027 }, { ret: 1027 }, { ret: 1 }]);
    expect(k.s.tasks.get(3)).toMatchObject({ parent: 1, vps: 101, pgid: 3, sid: 3 });
  });

  it('reference: vps_create vps_enter errno order: EPERM inside a VPS, ENOENT unknown VPS, EINVAL when its init is dead', () => {
    expect(last([...vpsWith(0), { op: 'vps_enter', by: 2, vps: 999 }])).toEqual({ err: 'EPERM' });
    expect(last([...vpsWith(0), { op: 'vps_enter', by: 1, vps: 999 }])).toEqual({ err: 'ENOENT' });
    // host 2 enters the VPS (child 4); 4 exits unreaped, so the dead init 3 cannot be reaped yet
    const deadInit: Event[] = [
      { op: 'fork', by: 1 },
      { op: 'vps_create', by: 1, vps: 7 },
      { op: 'vps_enter', by: 2, vps: 7 },
      { op: 'exit', by: 4, code: 0 },
      { op: 'exit', by: 3, code: 0 },
    ];
    const { out, k } = run([...deadInit, { op: 'vps_enter', by: 1, vps: 7 }]);
    expect(out.at(-1)).toEqual({ err: 'EINVAL' });
    expect(k.s.vpses.has(7)).toBe(true);
    const reaped = run([...deadInit, { op: 'wait', by: 2 }, { op: 'vps_enter', by: 1, vps: 7 }]);
    expect(reaped.out.at(-1)).toEqual({ err: 'ENOENT' });
    expect(reaped.k.s.vpses.has(7)).toBe(false);
  });
});

describe('reference: vps_create / 5.3 step 3: the VPS ends with its init', () => {
  it('VPS init death kills every task of the VPS; the VPS and its mappings vanish when the init is reaped (vpsTaskReaped)', () => {
    const evs: Event[] = [...vpsWith(2), { op: 'fork', by: 2, vpid: 1500 }, { op: 'exit', by: 2, code: 3 }];
    const { k } = run(evs);
    expect(k.s.vpses.size).toBe(0);
    expect([...k.s.tasks.keys()]).toEqual([1]);
    expect(last([...evs, { op: 'vps_enter', by: 1, vps: 101 }])).toEqual({ err: 'ENOENT' });
    expect(last([...evs, { op: 'vps_create', by: 1, vps: 101 }])).toEqual({ ret: 6 });
  });

  it('a VPS id can be reused after the VPS ended; the new one starts linear', () => {
    const { out, k } = run([...vpsWith(0), { op: 'fork', by: 2, vpid: 1500 }, { op: 'exit', by: 2, code: 0 }, { op: 'vps_create', by: 1, vps: 101 }, { op: 'fork', by: 4 }]);
    expect(out.slice(-2)).toEqual([{ ret: 4 }, { ret: 1029 }]);
    expect(k.s.vpses.get(101)?.mode).toBe('linear');
  });
});
