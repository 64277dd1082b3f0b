import { describe, expect, it } from 'vitest';
import { SEMANTICS } from '../../src/fuzz/header.js';
import { agreeOn, defineOp, errnosUnder, registerOps } from '../../src/reducer/op.js';
import { ok } from '../../src/reducer/outcome.js';
import { ENV_OPS, OPS, opDef } from '../../src/reducer/registry.js';
import { DISPATCH } from '../../src/reducer/table.js';
import { VERSIONS } from '../../src/semantics/versions.js';

const getpid = defineOp({ name: 'getpid', env: false, handler: () => ok(1), models: 'a test', returns: '1', effect: 'none', errnos: ['ESRCH'], gen: [] });

describe('the op registry (issue 11)', () => {
  it('refuses an op registered twice, at load (as Redux Toolkit addCase refuses a duplicate)', () => {
    expect(() => registerOps([getpid, getpid])).toThrow(/op "getpid" is registered twice/);
    expect(registerOps([getpid]).get('getpid')).toBe(getpid);
  });

  it('dispatches every registered op through one map built from it', () => {
    expect([...DISPATCH.keys()]).toEqual([...OPS.keys()]);
    for (const d of OPS.values()) expect(DISPATCH.get(d.name)?.env).toBe(d.env);
  });

  it('derives the environment ops (reference: Events: no `by`) from the definitions', () => {
    expect([...ENV_OPS].sort()).toEqual(['cpu_down', 'cpu_up', 'inject', 'mem_down', 'mem_up', 'node_down', 'node_up']);
  });

  it('gives each op its errnos per version: ENOSYS for the registration the version lacks (reference: register_subsys, mount)', () => {
    const v2006 = VERSIONS['containers-2006'];
    const v2009 = VERSIONS['cgroups-2009'];
    expect(errnosUnder(opDef('register_subsys'), v2006)).not.toContain('ENOSYS');
    expect(errnosUnder(opDef('register_subsys'), v2009)).toContain('ENOSYS');
    expect(errnosUnder(opDef('load_subsys'), v2006)).toContain('ENOSYS');
    expect(errnosUnder(opDef('load_subsys'), v2009)).not.toContain('ENOSYS');
    // linux-6 (6.18): builtin subsystems only, no cluster, no VPSs
    const l6 = VERSIONS['linux-6'];
    for (const op of ['register_subsys', 'load_subsys', 'unload_subsys', 'migrate', 'fork'] as const) expect(errnosUnder(opDef(op), l6), op).toContain('ENOSYS');
    expect(errnosUnder(opDef('migrate'), v2009)).not.toContain('ENOSYS');
    // a task op's dead caller is checked first (reference: Outcomes)
    for (const d of OPS.values()) if (!d.env) expect(d.errnos[0], d.name).toBe('ESRCH');
  });

  it('marks the ops that allocate pids (reference: Outcomes: a failure may move `last`)', () => {
    expect([...OPS.values()].filter((d) => d.allocates).map((d) => d.name)).toEqual(['fork', 'vps_create', 'vps_enter', 'vps_restore']);
  });

  it('lets two versions agree on an op when its rules are equal there: process, cluster and VPS ops, not the cgroup ops (reference: Invariants and postconditions)', () => {
    const [a, b] = [VERSIONS['containers-2006'], VERSIONS['cgroups-2009']];
    for (const op of ['fork', 'exit', 'wait', 'kill', 'setpgid', 'ptrace', 'migrate', 'node_down', 'vps_create', 'vps_restore'] as const) expect(agreeOn(opDef(op), a, b), op).toBe(true);
    for (const op of ['mkdir', 'rmdir', 'attach', 'write', 'read', 'mount', 'register_subsys', 'load_subsys', 'cpu_down', 'mem_up'] as const) expect(agreeOn(opDef(op), a, b), op).toBe(false);
    // every version agrees with itself on everything
    for (const d of OPS.values()) expect(agreeOn(d, b, b)).toBe(true);
  });

  it('fuzzes under every version of VERSIONS, linux-6 included, the default first', () => {
    expect([...SEMANTICS].sort()).toEqual(Object.keys(VERSIONS).sort());
    expect(SEMANTICS[0]).toBe('cgroups-2009');
  });
});
