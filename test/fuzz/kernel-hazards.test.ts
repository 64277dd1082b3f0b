import { describe, expect, it } from 'vitest';
import { kernelHazard } from '../../src/fuzz/kernel-hazards.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Event } from '../../src/trace/schema-types.js';

/** The events fuzz --against-kernel does not generate, though the plan accepts them (docs/recording.md). */
describe('kernel hazards of fuzz --against-kernel', () => {
  const state = (events: Event[]) => {
    const k = bootKernel({ semantics: 'linux-6' });
    for (const ev of events) step(k, ev);
    return k.s;
  };

  it('an exec by a non-leader thread (the executor cannot follow de_thread); the leader\'s exec is fine', () => {
    const s = state([{ op: 'fork', by: 1 }, { op: 'clone_thread', by: 2 }]);
    expect(kernelHazard(s, { op: 'exec', by: 3 })).toMatch(/thread other than its leader/);
    expect(kernelHazard(s, { op: 'exec', by: 2 })).toBeNull();
  });

  it("an exit_thread by a namespace init's leader while its thread lives; by the thread, or by a plain leader, is fine", () => {
    const s = state([{ op: 'fork', by: 1, newpid: true }, { op: 'clone_thread', by: 2 }, { op: 'fork', by: 1 }, { op: 'clone_thread', by: 4 }]);
    expect(kernelHazard(s, { op: 'exit_thread', by: 2, code: 0 })).toMatch(/namespace init/);
    expect(kernelHazard(s, { op: 'exit_thread', by: 3, code: 0 })).toBeNull();
    expect(kernelHazard(s, { op: 'exit_thread', by: 4, code: 0 })).toBeNull();
  });

  it('a setpgid whose target is a namespace init (6.18 zap_pid_ns_processes never returns), named or as pid 0; other targets are fine', () => {
    const s = state([{ op: 'fork', by: 1, newpid: true }, { op: 'fork', by: 1 }]);
    expect(kernelHazard(s, { op: 'setpgid', by: 1, pid: 2, pgid: 3 })).toMatch(/namespace init/);
    expect(kernelHazard(s, { op: 'setpgid', by: 2, pid: 0, pgid: 0 })).toMatch(/namespace init/);
    expect(kernelHazard(s, { op: 'setpgid', by: 1, pid: 3, pgid: 0 })).toBeNull();
    expect(kernelHazard(s, { op: 'fork', by: 2 })).toBeNull();
  });
});
