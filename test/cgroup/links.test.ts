import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../bench/lib/prng.mjs';
import { HEADER, Workload } from '../../bench/lib/workload.mjs';
import { cssSetsLinking } from '../../src/cgroup/cssset.js';
import type { CgroupWorld } from '../../src/cgroup/types.js';
import { bootKernel, cloneKernel, type Kernel, step } from '../../src/replay/kernel.js';
import type { TraceHeader } from '../../src/trace/schema-types.js';

/** Every (hierarchy, cgroup) → ids of the css_sets that link it, by the index and by a scan of every css_set. */
function linksBothWays(w: CgroupWorld): { index: string[]; scan: string[] } {
  const index: string[] = [];
  const scan: string[] = [];
  for (const h of w.hierarchies.values()) {
    for (const path of h.cgroups.keys()) {
      const ids = (sets: Iterable<{ id: number }>): string => `${h.name}:${path} ${[...sets].map((cs) => cs.id).sort((a, b) => a - b).join(',')}`;
      index.push(ids(cssSetsLinking(w, h.name, path)));
      scan.push(ids([...w.cssSets.values()].filter((cs) => cs.cgroups.get(h.name) === path)));
    }
  }
  return { index, scan };
}

/**
 * 2.6.33 `cgroup->css_sets` (the `cg_cgroup_link` lists `cgroup_iter_start` walks for `tasks`):
 * kept beside the state by find_css_set, put_css_set and the rehash of mount, umount and subsystem
 * load/unload; it must always name exactly the css_sets whose memberships link each cgroup.
 */
describe('the cgroup → css_set links (2.6.33 kernel/cgroup.c cg_cgroup_link, cgroup_iter_start)', () => {
  it('property: on random benchmark workloads, after every event the links equal a scan of every css_set, in the state and in a copy of it', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 50, max: 400 }), (seed, n) => {
        const k = bootKernel(HEADER as TraceHeader);
        const w = new Workload(k, step, new Rng(seed), 48);
        let copy: Kernel | null = null;
        for (let j = 0; j < n; j++) {
          const ev = w.next();
          if (copy !== null) step(copy, ev);
          if (j === n >> 1) copy = cloneKernel(k);
          for (const state of copy === null ? [k] : [k, copy]) {
            const { index, scan } = linksBothWays(state.s.cg);
            expect(index).toEqual(scan);
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
