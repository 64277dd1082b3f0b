import { describe, expect, it } from 'vitest';
import type { SubsysEnv } from '../../src/cgroup/subsys.js';
import { SUBSYSTEMS } from '../../src/cgroup/subsystems/index.js';
import type { Cgroup } from '../../src/cgroup/types.js';
import { PLUGINS } from '../../src/workload/cgroup.js';

describe('plugins carry their fuzz samples (issue 11)', () => {
  it('every sample file is a control file the plugin populates (SPEC 7.1), so fuzzing writes real files', () => {
    for (const p of SUBSYSTEMS.values()) {
      const files = (p.populate?.({} as SubsysEnv, {} as Cgroup) ?? []).map((f) => f.name);
      for (const f of p.fuzz?.files ?? []) expect(files, `${p.name}: ${f}`).toContain(f);
    }
  });

  it('register_subsys and load_subsys are generated with every shipped plugin', () => {
    expect([...PLUGINS].sort()).toEqual([...SUBSYSTEMS.keys()].sort());
  });
});
