import { describe, expect, it } from 'vitest';
import { INJECTED_ERRNOS, missingCoverage, requiredPairs, SPEC_ERRNOS } from '../../src/fuzz/coverage-spec.js';
import { ALL_GENERATED_OPS } from '../../src/workload/table.js';
import { OPS } from '../../src/reducer/registry.js';
import { campaign, NO_PROPERTIES } from './helpers.js';

describe('coverage table (reference: Operations errnos per op)', () => {
  it('names every op of the dispatch table, and the generator generates every op', () => {
    expect(Object.keys(SPEC_ERRNOS).sort()).toEqual([...OPS.keys()].sort());
    expect([...new Set(ALL_GENERATED_OPS)].sort()).toEqual([...OPS.keys()].sort());
  });

  it('requires ret and every listed errno; injected errnos only with --faults', () => {
    const plain = requiredPairs(false).map((p) => p.join(' '));
    expect(plain).toContain('fork EAGAIN');
    expect(plain).toContain('write ERANGE');
    expect(plain).toContain('vps_restore ENOSYS');
    // fork's ENOMEM is also linux-6's own (a pid namespace whose init died: alloc_pid), mkdir's only injected
    expect(plain).toContain('fork ENOMEM');
    expect(plain).not.toContain('mkdir ENOMEM');
    expect(INJECTED_ERRNOS.mkdir).toContain('ENOMEM');
    expect(requiredPairs(true).map((p) => p.join(' '))).toContain('mkdir ENOMEM');
  });

  it('the default campaign (fixed seed) reaches every (op, errno) pair the registry lists', () => {
    const r = campaign({ runs: 5000, maxEvents: 60, seed: 2026, events: { invariants: false, atomicity: false }, properties: NO_PROPERTIES, versionAgreement: false });
    expect(missingCoverage(r.coverage, false)).toEqual([]);
  }, 60_000);

  it('a --faults campaign also reaches the failures only inject causes', () => {
    const r = campaign({ runs: 800, maxEvents: 60, seed: 2026, faults: true, events: { invariants: false, atomicity: false }, properties: NO_PROPERTIES, versionAgreement: false });
    const missing = missingCoverage(r.coverage, true).filter((p) => Object.entries(INJECTED_ERRNOS).some(([op, es]) => es!.some((e) => p === `${op} ${e}`)));
    expect(missing).toEqual([]);
  }, 60_000);
});
