import { expect } from 'vitest';
import type { Ctx, EventOf, TaskOp } from '../../src/reducer/context.js';
import type { Outcome } from '../../src/reducer/outcome.js';
import { DISPATCH } from '../../src/reducer/table.js';
import type { Task } from '../../src/state/task.js';
import type { CampaignOptions } from '../../src/fuzz/campaign.js';
import { DEFAULT_SEED, runCampaign } from '../../src/fuzz/campaign.js';
import type { Failure } from '../../src/fuzz/failure.js';
import { ALL_EVENT_CHECKS } from '../../src/fuzz/runner.js';

/** A campaign without postconditions: what a test of one reference: Invariants and postconditions property runs (the postconditions judge most planted return values first). */
export const NO_POSTS: Partial<CampaignOptions> = { events: { ...ALL_EVENT_CHECKS, postconditions: false } };

/**
 * The fixed budget a planted bug must be found within. 600 runs since pid namespaces, threads,
 * prctl and proc_read joined the op table: the exclusive-sibling bug under cgroups-2009 with seed
 * 20260101 is first reached at run 495.
 */
export const BUDGET = { runs: 600, maxEvents: 40 };
/** The campaign's default seed and three more: a bug must be caught with each, not with a seed picked for it. */
export const CAUGHT_SEEDS = [DEFAULT_SEED, 1, 2, 3] as const;

/** Runs a campaign against a planted bug; requires a failure named `name` shrunk to at most ten events. */
export function expectCaught(name: string | ((f: Failure) => boolean), opts: Partial<CampaignOptions> = {}): Failure {
  // the hand-written version traces off: they catch some planted bugs before the check a test is about
  const r = runCampaign({ ...BUDGET, seed: 1, faults: false, versionTraces: false, ...opts });
  expect(r.counterexample, 'the planted bug was not found within the budget').not.toBeNull();
  const cx = r.counterexample!;
  const matches = typeof name === 'string' ? cx.failure.name === name : name(cx.failure);
  expect(matches, `found ${cx.failure.name}: ${cx.failure.message}`).toBe(true);
  expect(cx.result.events.length).toBeLessThanOrEqual(10);
  return cx.failure;
}

export type TaskHandler = (ctx: Ctx, ev: EventOf<TaskOp>, caller: Task) => Outcome;
const saved = new Map<TaskOp, TaskHandler>();
const entry = (op: TaskOp): { handler: TaskHandler } => DISPATCH.get(op) as unknown as { handler: TaskHandler };

/** Plants a bug by wrapping one task op's handler in the dispatch table (until `restoreHandlers`). */
export function plantHandler(op: TaskOp, wrap: (orig: TaskHandler) => TaskHandler): void {
  const e = entry(op);
  if (!saved.has(op)) saved.set(op, e.handler);
  e.handler = wrap(saved.get(op) as TaskHandler);
}

export function restoreHandlers(): void {
  for (const [op, h] of saved) entry(op).handler = h;
  saved.clear();
}
