import fc from 'fast-check';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Event } from '../../src/trace/schema-types.js';

/** An abstract command: which op, and choices that are resolved against the live tasks. */
export interface Command {
  op: 'fork' | 'exit' | 'setpgid' | 'kill' | 'wait';
  who: number;
  target: number;
  n: number;
}

export const commandArb: fc.Arbitrary<Command> = fc.record({
  op: fc.constantFrom('fork', 'fork', 'exit', 'setpgid', 'kill', 'wait'),
  who: fc.nat(),
  target: fc.nat(),
  n: fc.nat(40),
});

const SIGNALS = [0, 1, 9, 15, 17, 18, 19, 20];

/**
 * Turns commands into a valid process trace: each caller and target is picked from the tasks
 * live at that point (found by replaying as the trace is built), so events name real pids.
 */
export function materialize(commands: readonly Command[], semantics = 'cgroups-2009'): { semantics: string; events: Event[] } {
  const k = bootKernel({ semantics: semantics as 'cgroups-2009' });
  const events: Event[] = [];
  for (const c of commands) {
    const live = [...k.s.tasks.values()].filter((t) => t.state !== 'zombie').map((t) => t.pid).sort((a, b) => a - b);
    const all = [...k.s.tasks.keys()].sort((a, b) => a - b);
    const by = live[c.who % live.length] as number;
    const target = all[c.target % all.length] as number;
    let ev: Event;
    switch (c.op) {
      case 'fork':
        ev = { op: 'fork', by };
        break;
      case 'exit':
        ev = { op: 'exit', by: by === 1 ? (live[(c.who + 1) % live.length] as number) : by, code: c.n };
        break;
      case 'setpgid':
        ev = { op: 'setpgid', by, pid: target, pgid: c.n % 2 === 0 ? 0 : by };
        break;
      case 'kill':
        ev = { op: 'kill', by, pid: c.n % 3 === 0 ? -target : target, sig: SIGNALS[c.n % SIGNALS.length] as number };
        break;
      case 'wait':
        ev = { op: 'wait', by, pid: -1, nohang: c.n % 2 === 0, untraced: c.n % 3 === 0 };
        break;
    }
    step(k, ev);
    events.push(ev);
  }
  return { semantics, events };
}
