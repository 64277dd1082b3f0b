import fc from 'fast-check';

import { type Choice, SELECTOR_MAX } from '../workload/choice.js';

export { type Choice, SELECTOR_MAX };

export function choiceArb(totalWeight: number): fc.Arbitrary<Choice> {
  return fc.record({
    op: fc.nat(totalWeight - 1),
    a: fc.nat(SELECTOR_MAX),
    b: fc.nat(SELECTOR_MAX),
    c: fc.nat(SELECTOR_MAX),
    bad: fc.nat(99),
  });
}

export function choicesArb(totalWeight: number, maxEvents: number): fc.Arbitrary<Choice[]> {
  return fc.array(choiceArb(totalWeight), { maxLength: maxEvents, size: 'max' });
}
