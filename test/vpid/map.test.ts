import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/reducer/context.js';
import { NO_RECORD } from '../../src/reducer/record.js';
import { bootKernel } from '../../src/replay/kernel.js';
import { canonicalState } from '../../src/state/canonical.js';
import { allocVpid, freeVpid, switchToSparseMapping } from '../../src/vpid/map.js';
import type { Vps } from '../../src/vpid/types.js';
import { newVps } from '../../src/vpid/vps.js';
import { replayEvents } from '../../src/replay/replay.js';
import type { Event } from '../../src/trace/schema-types.js';
import { run, vpsWith } from './helpers.js';

const vpsOf = (k: ReturnType<typeof run>['k'], id = 101): Vps => k.s.vpses.get(id) as Vps;
const mappings = (vps: Vps): [number, number][] => [...vps.vpidToPid].sort((a, b) => a[0] - b[0]);

describe('seed 004 alloc_vpid, linear mode', () => {
  it('seed 004 alloc_vpid: no request -> pid + VPID_DIV; request pid + VPID_DIV -> that, the VPS stays linear', () => {
    const { out, k } = run([...vpsWith(1), { op: 'fork', by: 2, vpid: 1028 }]);
    expect(out.slice(1)).toEqual([{ ret: 1027 }, { ret: 1028 }]);
    expect(vpsOf(k).mode).toBe('linear');
    expect(mappings(vpsOf(k))).toEqual([]);
  });

  it('seed 004 alloc_vpid + reference: fork: request 1 when the VPS has its init -> EEXIST; only last moves (reference: Outcomes)', () => {
    const before = replayEvents({}, vpsWith(1));
    const after = replayEvents({}, [...vpsWith(1), { op: 'fork', by: 2, vpid: 1 }]);
    expect(after.outcomes.at(-1)).toEqual({ err: 'EEXIST' });
    expect(after.kernel.s.last).toBe(4);
    const a = { ...canonicalState(before.kernel.s, before.kernel.v), last: 0 };
    const b = { ...canonicalState(after.kernel.s, after.kernel.v), last: 0 };
    expect(b).toEqual(a);
  });
});

describe('seed 004 switch_to_sparse_mapping', () => {
  it('seed 004 switch_to_sparse_mapping: a request the linear rule cannot give maps pid, pgid and sid of every task of the VPS', () => {
    // 3 (vpid 1027) leads pgrp 3; its child 4 (1028) stays in pgrp 3 after 3 exits and is reaped
    const evs: Event[] = [
      ...vpsWith(1),
      { op: 'setpgid', by: 3, pid: 0, pgid: 0 },
      { op: 'fork', by: 3 },
      { op: 'exit', by: 3, code: 0 },
      { op: 'wait', by: 2, pid: 1027 },
      { op: 'fork', by: 4, vpid: 2000 },
      { op: 'getpgid', by: 5 },
    ];
    const { out, k } = run(evs);
    expect(out.slice(-2)).toEqual([{ ret: 2000 }, { ret: 1027 }]);
    expect(vpsOf(k).mode).toBe('sparse');
    expect(mappings(vpsOf(k))).toEqual([[1, 2], [1027, 3], [1028, 4], [2000, 5]]);
  });

  it('reference: Outcomes / seed 004 alloc_vpid: the sparse switch survives the fork that fails with EEXIST after it', () => {
    const { out, k } = run([...vpsWith(1), { op: 'fork', by: 2, vpid: 1027 }]);
    expect(out.at(-1)).toEqual({ err: 'EEXIST' });
    expect(vpsOf(k).mode).toBe('sparse');
    expect(mappings(vpsOf(k))).toEqual([[1, 2], [1027, 3]]);
    expect(k.s.last).toBe(4);
    expect(k.s.tasks.has(4)).toBe(false);
  });

  it('switchToSparseMapping on a sparse VPS changes nothing', () => {
    const { k } = run([...vpsWith(0), { op: 'fork', by: 2, vpid: 1500 }]);
    const vps = vpsOf(k);
    const before = mappings(vps);
    switchToSparseMapping(k.s, vps, 99);
    expect(mappings(vps)).toEqual(before);
  });
});

describe('seed 004 alloc_vpid, sparse mode', () => {
  it('seed 004 alloc_vpid: a mapped requested vpid -> EEXIST', () => {
    const { out } = run([...vpsWith(0), { op: 'fork', by: 2, vpid: 1500 }, { op: 'fork', by: 2, vpid: 1500 }, { op: 'fork', by: 2, vpid: 1 }]);
    expect(out.slice(1)).toEqual([{ ret: 1500 }, { err: 'EEXIST' }, { err: 'EEXIST' }]);
  });

  it('seed 004 alloc_vpid: a mapped pid + VPID_DIV searches upward and sets last = vpid - VPID_DIV', () => {
    // 3 gets 1028 (sparse); 4's candidate 1028 is taken -> 1029, last = 5, so the next pid is 6
    const { out, k } = run([...vpsWith(0), { op: 'fork', by: 2, vpid: 1028 }, { op: 'fork', by: 2 }, { op: 'fork', by: 1 }]);
    expect(out.slice(1)).toEqual([{ ret: 1028 }, { ret: 1029 }, { ret: 6 }]);
    expect(mappings(vpsOf(k))).toEqual([[1, 2], [1028, 3], [1029, 4]]);
  });

  it('seed 004 alloc_vpid: the search wraps from pid_max to RESERVED_PIDS + VPID_DIV', () => {
    const evs: Event[] = [...vpsWith(0), { op: 'fork', by: 2, vpid: 4095 }, { op: 'fork', by: 2, pid: 3071 }, { op: 'fork', by: 2 }];
    const { out, k } = run(evs, { pidMax: 4096 });
    expect(out.slice(1)).toEqual([{ ret: 4095 }, { ret: 1324 }, { ret: 1325 }]);
    expect(k.s.tasks.has(301)).toBe(true);
    expect(mappings(vpsOf(k))).toEqual([[1, 2], [1324, 3071], [1325, 301], [4095, 3]]);
  });

  it('seed 004 free_vpid: a reaped task\'s mapping goes and its vpid can be requested again', () => {
    const evs: Event[] = [...vpsWith(0), { op: 'fork', by: 2, vpid: 1500 }, { op: 'exit', by: 3, code: 1 }];
    expect(mappings(vpsOf(run(evs).k))).toEqual([[1, 2], [1500, 3]]);
    const reaped = run([...evs, { op: 'wait', by: 2 }]);
    expect(reaped.out.at(-1)).toEqual({ ret: { pid: 1500, status: { exited: 1 } } });
    expect(mappings(vpsOf(reaped.k))).toEqual([[1, 2]]);
    expect(run([...evs, { op: 'wait', by: 2 }, { op: 'fork', by: 2, vpid: 1500 }]).out.at(-1)).toEqual({ ret: 1500 });
  });

  it('seed 004 alloc_vpid search: when every vpid is mapped the model answers EAGAIN instead of looping forever', () => {
    const k = bootKernel({ config: { pidMax: 1100, reservedPids: 50 } });
    const ctx: Ctx = { s: k.s, v: k.v, calls: null, released: [], record: NO_RECORD };
    const vps = newVps(9);
    vps.mode = 'sparse';
    for (let vpid = 1024; vpid < 1100; vpid++) {
      vps.vpidToPid.set(vpid, vpid - 1000);
      vps.pidToVpid.set(vpid - 1000, vpid);
    }
    const lastBefore = k.s.last;
    expect(allocVpid(ctx, vps, 50, undefined, false)).toEqual({ ok: false, err: 'EAGAIN' });
    expect(k.s.last).toBe(lastBefore);
    freeVpid(ctx, 60);
    expect(vps.vpidToPid.size).toBe(76);
  });

  it('seed 004 alloc_vpid: freeVpid drops exactly the mapping of the freed number', () => {
    const k = bootKernel({});
    const ctx: Ctx = { s: k.s, v: k.v, calls: null, released: [], record: NO_RECORD };
    const vps = newVps(9);
    vps.mode = 'sparse';
    k.s.vpses.set(9, vps);
    expect(allocVpid(ctx, vps, 40, 1, true)).toEqual({ ok: true, value: 1 });
    expect(allocVpid(ctx, vps, 41, 3000, false)).toEqual({ ok: true, value: 3000 });
    expect(allocVpid(ctx, vps, 42, 1, false)).toEqual({ ok: false, err: 'EEXIST' });
    expect(vps.init).toBe(40);
    freeVpid(ctx, 41);
    expect(mappings(vps)).toEqual([[1, 40]]);
  });
});

describe('seed 004 alloc_pidmap: global pids skip the VPID bit', () => {
  it('seed 004 alloc_pidmap: after 1023 comes 2048; past pid_max the allocator wraps to RESERVED_PIDS', () => {
    const { out } = run([{ op: 'fork', by: 1, pid: 1023 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1, pid: 2099 }, { op: 'fork', by: 1 }], { pidMax: 2100 });
    expect(out).toEqual([{ ret: 1023 }, { ret: 2048 }, { ret: 2099 }, { ret: 300 }]);
  });

  it('seed 004 alloc_pidmap: with pidVirt "none" there is no reserved bit', () => {
    const { out } = run([{ op: 'fork', by: 1, pid: 1023 }, { op: 'fork', by: 1 }], { pidMax: 2100, pidVirt: 'none' });
    expect(out).toEqual([{ ret: 1023 }, { ret: 1024 }]);
  });
});
