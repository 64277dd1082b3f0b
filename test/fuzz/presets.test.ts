import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerArb, makeHeader, SEMANTICS } from '../../src/fuzz/header.js';
import { reachHeader, reachOf, reachPresetsOf, REACH_PRESETS } from '../../src/fuzz/presets.js';
import { reasonOf } from '../../src/reducer/outcome.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import { replayEvents } from '../../src/replay/replay.js';
import { VERSIONS } from '../../src/semantics/versions.js';

/**
 * The campaign's presets follow each version's defaults (docs/fuzzing.md): linux-6's kernel has
 * nr_cpu_ids 2 (`possibleCpus` 2), so a preset written for four cpus would not boot there.
 */
describe('fuzz presets under every version (linux-6 included)', () => {
  it('the default campaign generates under every version of VERSIONS, linux-6 included', () => {
    const seen = new Set(fc.sample(headerArb(), { numRuns: 300, seed: 2026 }).map((h) => h.semantics));
    expect([...seen].sort()).toEqual(Object.keys(VERSIONS).sort());
  });

  it('every config preset and every reach preset boots and runs its prologue cleanly under every version', () => {
    for (const sem of SEMANTICS) {
      for (let p = 0; p < 16; p++) {
        for (const reach of reachPresetsOf(sem)) {
          const h = reachHeader(makeHeader(sem, p), reach);
          const r = replayEvents(h, [...reach.prologue]);
          expect(r.violations, `${sem} preset ${p} ${reach.name}`).toEqual([]);
          expect(r.outcomes.every((o) => 'ret' in o), `${sem} preset ${p} ${reach.name}: ${JSON.stringify(r.outcomes)}`).toBe(true);
        }
      }
    }
  });

  it("hotplug-ready puts its task on the version's last cpu: 3 of 4 in the seed-era versions, 1 of linux-6's 2", () => {
    const cpus = (sem: 'cgroups-2009' | 'linux-6') => reachPresetsOf(sem).find((r) => r.name === 'hotplug-ready')!;
    expect(cpus('cgroups-2009').config.cpus).toBe(4);
    expect(cpus('cgroups-2009').prologue[2]).toMatchObject({ file: 'cpus', value: '3' });
    expect(cpus('linux-6').config.cpus).toBe(2);
    expect(cpus('linux-6').prologue[2]).toMatchObject({ file: 'cpus', value: '1' });
    expect(makeHeader('linux-6', 6).config).toEqual({ cpus: 2, mems: 2 });
    expect(reachPresetsOf('linux-6').map((r) => r.name)).toEqual(['deep-pidns', ...REACH_PRESETS.map((r) => r.name).filter((n) => n !== 'stale-images')]);
  });

  it('stale-images: restoring each image fails on what changed since its checkpoint (vps_restore image-cgroup-gone, image-node-down)', () => {
    const withImages = SEMANTICS.filter((sem) => reachPresetsOf(sem).some((r) => r.name === 'stale-images'));
    expect(withImages.sort()).toEqual(SEMANTICS.filter((sem) => VERSIONS[sem].vps && VERSIONS[sem].cluster).sort());
    expect(withImages.length).toBeGreaterThan(0);
    for (const semantics of withImages) {
      const p = reachPresetsOf(semantics).find((x) => x.name === 'stale-images')!;
      const k = bootKernel({ semantics, config: p.config });
      for (const ev of p.prologue) step(k, ev);
      expect(reasonOf(step(k, { op: 'vps_restore', by: 1, vps: 3, image: 'img1' }))?.code).toBe('image-cgroup-gone');
      expect(reasonOf(step(k, { op: 'vps_restore', by: 1, vps: 3, image: 'img2' }))?.code).toBe('image-node-down');
    }
  });

  it('a version lacking what a preset needs keeps every other preset on its selector (reachOf counts from the end)', () => {
    for (let sel = 0; sel < 8; sel++) {
      const seedEra = reachOf(sel, 'cgroups-2009');
      const l6 = reachOf(sel, 'linux-6');
      expect(l6?.name ?? null).toBe(seedEra?.name === 'stale-images' ? 'deep-pidns' : (seedEra?.name ?? null));
    }
  });

  it('deep-pidns (linux-6 only): a namespace below level 32 is ENOSPC, pidns-too-deep (6.x create_pid_namespace, MAX_PID_NS_LEVEL)', () => {
    expect(SEMANTICS.filter((sem) => reachPresetsOf(sem).some((r) => r.name === 'deep-pidns'))).toEqual(SEMANTICS.filter((sem) => VERSIONS[sem].newpidFlag === 'new-namespace'));
    const p = reachPresetsOf('linux-6').find((x) => x.name === 'deep-pidns')!;
    const k = bootKernel({ semantics: 'linux-6', config: p.config });
    for (const ev of p.prologue) step(k, ev);
    const o = step(k, { op: 'unshare', by: 2, flags: ['newpid'] });
    expect(o).toMatchObject({ err: 'ENOSPC' });
    expect(reasonOf(o)?.code).toBe('pidns-too-deep');
  });
});
