import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

/**
 * The ptrace rules in which 6.18 differs from 2.6.18 (docs/versions.md, the linux-6 table), as
 * recorded on the live kernel (traces/kernel/process-ptrace.json #6 and #11).
 */
describe('linux-6 ptrace (6.18 kernel/ptrace.c)', () => {
  it('6.18 ptrace_attach: the namespace init can be traced and its SEND_SIG_PRIV SIGSTOP stops it; 2.6.18 ptrace_attach refuses pid <= 1 (EPERM)', () => {
    const evs = [{ op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 1 }, { op: 'wait', by: 2 }, { op: 'fork', by: 1 }] as const;
    const l6 = run([...evs], {}, 'linux-6');
    expect(l6.out.slice(1)).toEqual([{ ret: 0 }, { ret: { pid: 1, status: { stopped: 19 } } }, { blocked: true }]);
    expect(task(l6, 1)?.tracer).toBe(2);
    for (const sem of ['cgroups-2009', 'containers-2006']) expect(run([...evs.slice(0, 2)], {}, sem).out[1]).toEqual({ err: 'EPERM' });
  });

  it('6.18 __ptrace_link (list_add at the head of ptraced): wait meets the newest tracee first; 2.6.18 (appended to children) the first attached', () => {
    const evs = [
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'ptrace', by: 2, request: 'attach', pid: 4 }, { op: 'wait', by: 2 },
    ] as const;
    expect(last(run([...evs], {}, 'linux-6'))).toEqual({ ret: { pid: 4, status: { stopped: 19 } } });
    expect(last(run([...evs], {}, 'cgroups-2009'))).toEqual({ ret: { pid: 3, status: { stopped: 19 } } });
    expect(last(run([...evs], {}, 'containers-2006'))).toEqual({ ret: { pid: 3, status: { stopped: 19 } } });
  });

  it("a tracer's own children still come before its tracees in both orders (do_wait_thread before ptrace_do_wait)", () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'kill', by: 2, pid: 4, sig: 19 }, { op: 'wait', by: 2, untraced: true },
    ], {}, 'linux-6');
    expect(last(r)).toEqual({ ret: { pid: 4, status: { stopped: 19 } } });
  });
});
