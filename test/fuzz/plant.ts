import { expect } from 'vitest';
import type { CampaignOptions } from '../../src/fuzz/campaign.js';
import { DEFAULT_SEED, runCampaign } from '../../src/fuzz/campaign.js';
import type { Failure } from '../../src/fuzz/failure.js';

/** The fixed budget a planted bug must be found within. */
export const BUDGET = { runs: 300, maxEvents: 40 };
/** The campaign's default seed and three more: a bug must be caught with each, not with a seed picked for it. */
export const CAUGHT_SEEDS = [DEFAULT_SEED, 1, 2, 3] as const;

/** Runs a campaign against a planted bug; requires a failure named `name` shrunk to at most ten events. */
export function expectCaught(name: string | ((f: Failure) => boolean), opts: Partial<CampaignOptions> = {}): Failure {
  const r = runCampaign({ ...BUDGET, seed: 1, faults: false, ...opts });
  expect(r.counterexample, 'the planted bug was not found within the budget').not.toBeNull();
  const cx = r.counterexample!;
  const matches = typeof name === 'string' ? cx.failure.name === name : name(cx.failure);
  expect(matches, `found ${cx.failure.name}: ${cx.failure.message}`).toBe(true);
  expect(cx.result.events.length).toBeLessThanOrEqual(10);
  return cx.failure;
}
