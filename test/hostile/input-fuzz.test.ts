import { describe, expect, it } from 'vitest';
import { runInputCampaign } from '../../src/cli/input-fuzz.js';

/**
 * The test-sized run of `npm run fuzz:input` (issue 14 item 6): generated and mutated inputs
 * through replay, validate and diff in-process; none may exit 3, throw or print a stack.
 * KREPLAY_INPUT_FUZZ=N runs N inputs instead.
 */
const INPUTS = Number(process.env.KREPLAY_INPUT_FUZZ ?? 300);
const SEED = Number(process.env.KREPLAY_INPUT_SEED ?? 14);

describe('fuzz:input, test-sized', () => {
  it(`${INPUTS} hostile inputs (seed ${SEED}): exit 0, 1 or 2 only, never an internal error`, async () => {
    const r = await runInputCampaign({ inputs: INPUTS, seed: SEED });
    expect(r.failures).toEqual([]);
    expect(r.bad).toBe(0);
    expect(r.inputs).toBe(INPUTS);
    expect(Object.keys(r.exits).every((k) => ['0', '1', '2'].includes(k))).toBe(true);
    // The campaign reaches every command and both good and bad outcomes.
    expect(Object.keys(r.commands).sort()).toEqual(['diff', 'replay', 'validate']);
    expect(r.exits['2']).toBeGreaterThan(0);
    expect((r.exits['0'] ?? 0) + (r.exits['1'] ?? 0)).toBeGreaterThan(0);
  }, 120_000);
});
