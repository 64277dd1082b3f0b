import type fc from 'fast-check';
import { type Choice, choiceArb } from '../../src/fuzz/choice.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Event } from '../../src/trace/schema-types.js';
import { OpTable, generate } from '../../src/workload/table.js';

/**
 * Process traces for the diff tests, made by the state-aware generator (src/workload): fork
 * twice as often as exit, setpgid, kill and wait; callers and targets are picked from the tasks
 * live at that point (found by replaying as the trace is built), so events name real pids.
 */
export const PROCESS_OPS = new OpTable({ faults: false, weights: { fork: 2, exit: 1, setpgid: 1, kill: 1, wait: 1 } });
/** Forks only. */
export const FORKS = new OpTable({ faults: false, weights: { fork: 1 } });

export const commandArb: fc.Arbitrary<Choice> = choiceArb(PROCESS_OPS.total);

/** A choice made of one number, for hand-built sequences: `i` picks the op (in table order) and the targets. */
export const choiceOf = (i: number): Choice => ({ op: i, a: i * 7, b: i * 13, c: i, bad: 99 });

/** The events of `choices` from a fresh kernel of `semantics` (well-formed: no deliberately wrong events). */
export function materialize(choices: readonly Choice[], semantics = 'cgroups-2009', table: OpTable = PROCESS_OPS): { semantics: string; events: Event[] } {
  const k = bootKernel({ semantics: semantics as 'cgroups-2009' });
  const events = generate(k, choices, table, { badPercent: 0, faults: false, sharedSubset: false }, (ev) => void step(k, ev));
  return { semantics, events };
}
