import { describe, expect, it } from 'vitest';
import { VPID_INVARIANTS } from '../../src/invariants/vpid.js';
import type { Kernel } from '../../src/replay/kernel.js';
import type { Vps } from '../../src/vpid/types.js';
import type { Event } from '../../src/trace/schema-types.js';
import { run, vpsWith } from './helpers.js';

const check = (k: Kernel) => VPID_INVARIANTS.flatMap((inv) => inv.check(k.s, k.v, undefined));
const messages = (k: Kernel) => check(k).map((v) => `${v.invariant} ${v.subject}: ${v.message}`);
const linear = (): Kernel => run(vpsWith(2)).k;
const sparse = (): Kernel => run([...vpsWith(1), { op: 'fork', by: 2, vpid: 1500 } as Event]).k;
const vps = (k: Kernel): Vps => k.s.vpses.get(101) as Vps;

describe('reference: Invariants and postconditions vpid-bijection (seed 004 alloc_vpid / switch_to_sparse_mapping / free_vpid)', () => {
  it('holds on linear and sparse VPSs built by the model', () => {
    expect(check(linear())).toEqual([]);
    expect(check(sparse())).toEqual([]);
    expect(VPID_INVARIANTS.map((i) => i.id)).toEqual(['vpid-bijection']);
  });

  it('fires when the init is not a task of the VPS, or vpid 1 maps elsewhere (the init <-> 1)', () => {
    const k = linear();
    vps(k).init = 1;
    expect(messages(k)).toEqual(['vpid-bijection vps 101: init 1 is not a task of the VPS']);
    const s = sparse();
    vps(s).vpidToPid.set(1, 3);
    expect(messages(s).some((m) => m.includes('vpid 1 does not map to the init'))).toBe(true);
  });

  it('fires on a linear VPS with hash entries, and on a linear vpid without the VPID bit (seed 004 pid | VPID_DIV)', () => {
    const k = linear();
    vps(k).vpidToPid.set(1027, 3);
    expect(messages(k)).toContain('vpid-bijection vps 101: linear VPS has sparse mappings');
    const bit = linear();
    const t = bit.s.tasks.get(4)!;
    bit.s.tasks.delete(4);
    t.pid = 1030;
    bit.s.tasks.set(1030, t);
    expect(messages(bit).some((m) => m.includes('number 1030: linear vpid 2054 lacks the VPID bit'))).toBe(true);
  });

  it('fires when a sparse mapping is missing for a number in use, or left for a number no longer used (free_vpid)', () => {
    const k = sparse();
    vps(k).vpidToPid.delete(1500);
    vps(k).pidToVpid.delete(4);
    expect(messages(k)).toEqual(['vpid-bijection vps 101: number 4 in use has no mapping']);
    const stale = sparse();
    vps(stale).vpidToPid.set(1600, 77);
    vps(stale).pidToVpid.set(77, 1600);
    expect(messages(stale)).toEqual(['vpid-bijection vps 101: mapping 1600 -> 77, a number no task of the VPS uses']);
  });

  it('fires when the two hashes are not inverse (not a bijection) or a vpid lacks the bit', () => {
    const k = sparse();
    vps(k).vpidToPid.set(1500, 3);
    expect(messages(k).some((m) => m.includes('vpid 1500 -> 3 has no inverse entry'))).toBe(true);
    const nobit = sparse();
    vps(nobit).vpidToPid.delete(1500);
    vps(nobit).vpidToPid.set(500, 4);
    vps(nobit).pidToVpid.set(4, 500);
    expect(messages(nobit)).toEqual(['vpid-bijection vps 101: vpid 500 (of 4) lacks the VPID bit']);
  });

  it('fires when a task belongs to a VPS that does not exist, or a number crosses the VPS boundary', () => {
    const k = linear();
    k.s.vpses.delete(101);
    expect(messages(k)).toEqual(['vpid-bijection vps 101: tasks belong to VPS 101, which does not exist']);
    const cross = linear();
    cross.s.tasks.get(1)!.pgid = 3;
    expect(messages(cross)).toEqual(['vpid-bijection number 3: number 3 is used both by the host and by VPS 101']);
  });
});
