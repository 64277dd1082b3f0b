import { type CampaignOptions, runCampaign, type CampaignResult } from '../../src/fuzz/campaign.js';

/** Per-event checks only: what coverage needs (fast). */
export const NO_PROPERTIES = {
  determinism: false, snapshot: false, 'round-trip': false, 'location-transparency': false, 'checkpoint-transparency': false, 'version-agreement': false,
} as const;

export function campaign(opts: Partial<CampaignOptions>): CampaignResult {
  return runCampaign({ runs: 100, seed: 42, maxEvents: 40, faults: false, ...opts });
}
