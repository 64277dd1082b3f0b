import { parentPort, workerData } from 'node:worker_threads';
import { type CampaignOptions, runCampaign } from './campaign.js';
import { toWire } from './parallel.js';

/** A worker_threads entry (built to dist/fuzz/worker.js): runs its shard of a campaign. */
const opts = workerData as Omit<CampaignOptions, 'onRun'>;
let pending = 0;
const result = runCampaign({
  ...opts,
  onRun: () => {
    if (++pending >= 20) {
      parentPort?.postMessage({ progress: pending });
      pending = 0;
    }
  },
});
if (pending) parentPort?.postMessage({ progress: pending });
parentPort?.postMessage({ result: toWire(result) });
