import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../src/replay/replay.js';

/**
 * The recordings of the live 6.18 kernel under traces/kernel/ (`kreplay record`, their expects
 * are the kernel's answers) replayed under `linux-6`, the version they name: no divergence and no
 * violation, except the modelling limits docs/versions.md lists ("Modelling limits of linux-6"),
 * each pinned here by event so that a new disagreement, or a limit lifted, fails this test.
 * Unlike test/record/record.test.ts this needs no root: it replays the committed recordings.
 */
const dir = join(import.meta.dirname, '..', '..', 'traces', 'kernel');
const LIMITS: Record<string, number[]> = {
  // sched_load_balance, mem_hardwall and memory_pressure are not modelled
  'oracle-cpuset-misc.json': [8, 10, 12],
  // the tracer's wait walks its tracees newest first (__ptrace_link: list_add), signal-delivery stops
  'process-ptrace.json': [11, 25],
  // sigaction(SIGKILL, SIG_DFL) is EINVAL on the kernel; every version of the model allows default
  'process-signals.json': [11],
};

describe('traces/kernel (live 6.18 recordings) replay under linux-6', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it('holds the oracle scenarios and the linux-6 rule traces', () => {
    expect(files.filter((f) => f.startsWith('oracle-')).length).toBeGreaterThanOrEqual(17);
    expect(files.filter((f) => f.startsWith('linux6-')).length).toBe(5);
  });
  for (const f of files) {
    it(`${f}: recorded under linux-6; divergences only at the listed modelling limits`, () => {
      const r = replayFile(join(dir, f), { keepOutcomes: false });
      expect(r.semantics).toBe('linux-6');
      expect(r.violations).toEqual([]);
      expect(r.divergences.map((d) => d.index)).toEqual(LIMITS[f] ?? []);
    });
  }
});
