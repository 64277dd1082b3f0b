import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors.js';
import { replayEvents, replayFile } from '../../src/replay/replay.js';
import type { Event } from '../../src/trace/schema-types.js';

/**
 * Mechanisms that never reached mainline under `linux-6`: their operations are ENOSYS, as a kernel
 * answers a syscall it lacks (6.18 has no OpenSSI cluster, no OpenVZ VPSs, no cgroup_load_subsys);
 * their environment events and configurations are bad input naming the version.
 */
const outcomes = (events: Event[], semantics = 'linux-6') => replayEvents({ semantics: semantics as 'linux-6' }, events).outcomes;

describe('linux-6: operations of missing mechanisms are ENOSYS', () => {
  it('seed 004 VPS ops, seed 002 migrate and rfork (fork {node}), fork {vpid}: ENOSYS under linux-6', () => {
    expect(
      outcomes([
        { op: 'vps_create', by: 1, vps: 1 },
        { op: 'vps_enter', by: 1, vps: 1 },
        { op: 'vps_checkpoint', by: 1, vps: 1, image: 'i' },
        { op: 'vps_restore', by: 1, vps: 1, image: 'i' },
        { op: 'migrate', by: 1, pid: 0, node: 0 },
        { op: 'fork', by: 1, node: 0 },
        { op: 'fork', by: 1, vpid: 1 },
        { op: 'fork', by: 1 },
      ]),
    ).toEqual([...Array(7).fill({ err: 'ENOSYS' }), { ret: 2 }]);
  });
  it('subsystem registration (seed 001 register_subsys, seed 003 load/unload_subsys) is ENOSYS: 6.x has builtin subsystems only', () => {
    expect(
      outcomes([
        { op: 'register_subsys', by: 1, name: 'net_cls' },
        { op: 'load_subsys', by: 1, name: 'faulty' },
        { op: 'unload_subsys', by: 1, name: 'net_cls' },
      ]),
    ).toEqual([{ err: 'ENOSYS' }, { err: 'ENOSYS' }, { err: 'ENOSYS' }]);
  });
  it('the same ops still work under cgroups-2009 (migrate to node 0, rfork)', () => {
    expect(outcomes([{ op: 'migrate', by: 1, pid: 0, node: 0 }, { op: 'fork', by: 1, node: 0 }], 'cgroups-2009')).toEqual([{ err: 'EPERM' }, { ret: 2 }]);
  });
});

describe('linux-6: impossible events and configurations are bad input (reference: Traces)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-l6-'));
  const put = (name: string, value: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };
  const badInput = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof BadInputError) return e.message;
      throw e;
    }
    throw new Error('no bad input reported');
  };
  it('node_down / node_up under linux-6 name the version and the event', () => {
    const p = put('node.json', { kreplay: 1, semantics: 'linux-6', events: [{ op: 'fork', by: 1 }, { op: 'node_down', node: 1 }] });
    expect(badInput(() => replayFile(p))).toBe(`${p} event 2 (/events/1/op): "node_down" cannot happen under linux-6: it has no cluster nodes (OpenSSI never reached mainline)`);
    const q = put('ok.json', { kreplay: 1, semantics: 'cgroups-2009', config: { nodes: 2 }, events: [{ op: 'node_down', node: 1, expect: { ret: 0 } }] });
    expect(replayFile(q).divergences).toEqual([]);
    expect(badInput(() => replayFile(q, { semantics: 'linux-6' }))).toMatch(/\(\/config\): nodes: linux-6 has no cluster, so exactly 1 node \(got 2\)$/);
  });
  it('pidVirt "vpid" under linux-6 is bad input', () => {
    const p = put('vpid.json', { kreplay: 1, semantics: 'linux-6', config: { pidVirt: 'vpid' }, events: [] });
    expect(badInput(() => replayFile(p))).toBe(`${p} (/config): pidVirt: linux-6 has no OpenVZ virtual pids, so "none" (got "vpid")`);
  });
});
