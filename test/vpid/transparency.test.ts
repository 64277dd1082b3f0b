import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../src/invariants/index.js';
import { restoreTransparencyFailure, restoreTransparencyProperty, runVpsWorkload, vpsWorkloadArb } from '../../src/fuzz/transparency.js';

/** Workloads per version; `npm run fuzz:restore` raises it to the 1,000-case campaign. */
const RUNS = Number(process.env.KREPLAY_RESTORE_RUNS ?? 200);

describe('reference: vps_restore checkpoint/restore transparency (seed 004 alloc_vpid/switch_to_sparse_mapping on restore)', () => {
  it(`a restored VPS is indistinguishable from inside: getpid/getppid/getpgid/getsid/kill 0/read tasks and its image (${RUNS} workloads)`, () => {
    fc.assert(restoreTransparencyProperty(40), { numRuns: RUNS, seed: 4004 });
  });

  it(`the same under containers-2006 (${Math.ceil(RUNS / 2)} workloads)`, () => {
    fc.assert(restoreTransparencyProperty(40, 'containers-2006'), { numRuns: Math.ceil(RUNS / 2), seed: 2006 });
  });

  it('restoring keeps every invariant (vpid-bijection, pid-unique, task-tree, ...)', () => {
    fc.assert(
      fc.property(vpsWorkloadArb(30), (steps) => {
        const { kernel } = runVpsWorkload(steps);
        restoreTransparencyFailure(kernel);
        const violations = INVARIANTS.flatMap((inv) => inv.check(kernel.s, kernel.v, undefined));
        expect(violations).toEqual([]);
      }),
      { numRuns: 100, seed: 4005 },
    );
  });
});
