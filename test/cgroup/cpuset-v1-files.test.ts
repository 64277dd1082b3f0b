import { describe, expect, it } from 'vitest';
import { failsAtomically, H9, mkdir, mountCs, read, run, write } from './helpers.js';

/**
 * 6.18 cpuset v1 files beyond the seed's (kernel/cgroup/cpuset-v1.c `cpuset1_files[]`), as the
 * live kernel answered them: traces/kernel/cgroup-cpuset-v1-files.json, oracle cpuset_misc.
 */
const L6 = 'linux-6';
const A = [mountCs(), mkdir('/a', H9)];

describe('linux-6 cpuset v1 files (6.18 cpuset1_files[])', () => {
  it('defaults: sched_load_balance 1 (cpuset_css_alloc), sched_relax_domain_level -1, memory_pressure 0, the other flags 0', () => {
    const files = ['sched_load_balance', 'sched_relax_domain_level', 'memory_pressure', 'mem_hardwall', 'memory_spread_page', 'memory_spread_slab', 'memory_migrate'];
    const r = run(L6, [...A, ...files.map((f) => read('/a', `cpuset.${f}`, H9))]);
    expect(r.outcomes.slice(2).map((o) => ('ret' in o ? o.ret : o))).toEqual(['1\n', '-1\n', '0\n', '0\n', '0\n', '0\n', '0\n']);
  });

  it('memory_pressure_enabled exists on the top cpuset only (CFTYPE_ONLY_ON_ROOT)', () => {
    const r = run(L6, [...A, read('/', 'cpuset.memory_pressure_enabled', H9), read('/a', 'cpuset.memory_pressure_enabled', H9)]);
    expect(r.outcomes.slice(2)).toEqual([{ ret: '0\n' }, { err: 'ENOENT' }]);
  });

  it('flags through kstrtoull and update_flag: 2 reads back 1, junk is EINVAL and changes nothing', () => {
    const r = run(L6, [...A, write('/a', 'cpuset.sched_load_balance', '0', H9), read('/a', 'cpuset.sched_load_balance', H9), write('/a', 'cpuset.mem_hardwall', '2', H9), read('/a', 'cpuset.mem_hardwall', H9)]);
    expect(r.outcomes.slice(2)).toEqual([{ ret: 0 }, { ret: '0\n' }, { ret: 0 }, { ret: '1\n' }]);
    failsAtomically(L6, [...A, write('/a', 'cpuset.sched_load_balance', 'abc', H9)], 'EINVAL');
  });

  it('6.18 cpuset_css_online: a new cpuset copies its parent\'s memory_spread_page and _slab, not mem_hardwall', () => {
    const r = run(L6, [...A, write('/a', 'cpuset.memory_spread_page', '1', H9), write('/a', 'cpuset.memory_spread_slab', '1\n', H9), write('/a', 'cpuset.mem_hardwall', '1', H9), mkdir('/a/b', H9),
      read('/a/b', 'cpuset.memory_spread_page', H9), read('/a/b', 'cpuset.memory_spread_slab', H9), read('/a/b', 'cpuset.mem_hardwall', H9)]);
    expect(r.outcomes.slice(-3)).toEqual([{ ret: '1\n' }, { ret: '1\n' }, { ret: '0\n' }]);
  });

  it('memory_pressure is read-only: a write is EINVAL (oracle cpuset_misc #5)', () => {
    failsAtomically(L6, [...A, write('/a', 'cpuset.memory_pressure', '0', H9)], 'EINVAL');
  });

  it('update_relax_domain_level: -1..sched_domain_level_max + 1 (2 on the test machine) via kstrtoll on the unstripped text', () => {
    const r = run(L6, [...A, write('/a', 'cpuset.sched_relax_domain_level', '2', H9), read('/a', 'cpuset.sched_relax_domain_level', H9), write('/a', 'cpuset.sched_relax_domain_level', '-1\n', H9)]);
    expect(r.outcomes.slice(2)).toEqual([{ ret: 0 }, { ret: '2\n' }, { ret: 0 }]);
    for (const bad of ['-2', '3', ' 1', 'abc']) failsAtomically(L6, [...A, write('/a', 'cpuset.sched_relax_domain_level', bad, H9)], 'EINVAL');
  });

  it('the seed-era versions have only the seed\'s files (ENOENT)', () => {
    expect(run('cgroups-2009', [...A, read('/a', 'cpuset.sched_load_balance', H9)]).last).toEqual({ err: 'ENOENT' });
  });
});
