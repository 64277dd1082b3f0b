import { describe, expect, it } from 'vitest';
import type { SubsysEnv } from '../../src/cgroup/subsys.js';
import { SUBSYSTEMS } from '../../src/cgroup/subsystems/index.js';
import type { Cgroup } from '../../src/cgroup/types.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { PLUGINS } from '../../src/workload/cgroup.js';

describe('plugins carry their fuzz samples (issue 11)', () => {
  it('every sample file is a control file the plugin populates (reference: mkdir), so fuzzing writes real files', () => {
    for (const v of Object.values(VERSIONS)) {
      for (const p of SUBSYSTEMS.values()) {
        const files = (p.populate?.({ v } as SubsysEnv, {} as Cgroup) ?? []).map((f) => f.name);
        for (const f of [...(p.fuzz?.files ?? []), ...(p.fuzz?.filesUnder?.(v) ?? [])]) expect(files, `${v.name} ${p.name}: ${f}`).toContain(f);
      }
    }
  });

  it("a version's own sample files are offered under it only: sched_relax_domain_level under linux-6 (cpusetV1Files)", () => {
    const cpuset = SUBSYSTEMS.get('cpuset');
    expect(cpuset?.fuzz?.filesUnder?.(VERSIONS['linux-6'])).toContain('sched_relax_domain_level');
    expect(cpuset?.fuzz?.filesUnder?.(VERSIONS['cgroups-2009'])).toEqual([]);
  });

  it('register_subsys and load_subsys are generated with every shipped plugin', () => {
    expect([...PLUGINS].sort()).toEqual([...SUBSYSTEMS.keys()].sort());
  });
});

describe('generate: the state-aware generator without fast-check', () => {
  it('makes every event from the state the previous ones left: 300 events from one stream name live callers, deterministically', async () => {
    const { bootKernel, step } = await import('../../src/replay/kernel.js');
    const { generate, OpTable } = await import('../../src/workload/table.js');
    const run = () => {
      const k = bootKernel({ semantics: 'cgroups-2009' });
      let x = 7;
      const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
      const table = new OpTable({ faults: false });
      const choices = Array.from({ length: 300 }, () => ({ op: next() % table.total, a: next() & 0xffff, b: next() & 0xffff, c: next() & 0xffff, bad: next() % 100 }));
      let deadCallers = 0;
      const events = generate(k, choices, table, { badPercent: 0, faults: false, sharedSubset: false }, (ev) => {
        // no deliberately wrong events: every caller is a task of the state the event was made from
        if ('by' in ev && k.s.tasks.get(ev.by)?.state !== 'running') deadCallers++;
        step(k, ev);
      });
      return { events, deadCallers, tasks: k.s.tasks.size };
    };
    const a = run();
    expect(a.events).toHaveLength(300);
    expect(run().events).toEqual(a.events);
    expect(a.deadCallers).toBe(0);
    expect(a.tasks).toBeGreaterThan(1);
  });
});
