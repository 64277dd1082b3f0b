import { describe, expect, it } from 'vitest';
import { SEMANTICS } from '../../src/fuzz/header.js';
import { REACH_PRESETS } from '../../src/fuzz/presets.js';
import { reasonOf } from '../../src/reducer/outcome.js';
import { bootKernel, step } from '../../src/replay/kernel.js';

/** Reach presets (docs/fuzzing.md, Reach): each prologue runs as written under every fuzzed version. */
describe('reach presets', () => {
  for (const p of REACH_PRESETS) {
    for (const semantics of SEMANTICS) {
      it(`${p.name} under ${semantics}: every prologue event succeeds`, () => {
        const k = bootKernel({ semantics, config: p.config });
        for (const ev of p.prologue) {
          const o = step(k, ev);
          expect(o, `${JSON.stringify(ev)}: ${JSON.stringify(reasonOf(o))}`).toHaveProperty('ret');
        }
      });
    }
  }

  it('stale-images: restoring each image fails on what changed since its checkpoint (vps_restore image-cgroup-gone, image-node-down)', () => {
    const p = REACH_PRESETS.find((x) => x.name === 'stale-images')!;
    for (const semantics of SEMANTICS) {
      const k = bootKernel({ semantics, config: p.config });
      for (const ev of p.prologue) step(k, ev);
      expect(reasonOf(step(k, { op: 'vps_restore', by: 1, vps: 3, image: 'img1' }))?.code).toBe('image-cgroup-gone');
      expect(reasonOf(step(k, { op: 'vps_restore', by: 1, vps: 3, image: 'img2' }))?.code).toBe('image-node-down');
    }
  });
});
