import { Worker } from 'node:worker_threads';
import type { CampaignOptions, CampaignResult, Counterexample } from './campaign.js';
import type { BranchWire } from './branches.js';
import { Coverage } from './coverage.js';

/** A campaign result as it crosses a worker boundary (structured clone: no class instances, no kernels). */
export interface WireResult {
  seed: number;
  runs: number;
  events: number;
  coverage: Record<string, number>;
  /** (op, branch) coverage (src/fuzz/branches.ts). */
  branches: BranchWire;
  counterexample: (Omit<Counterexample, 'result'> & { result: Omit<Counterexample['result'], 'final'> }) | null;
}

export function toWire(r: CampaignResult): WireResult {
  let counterexample: WireResult['counterexample'] = null;
  if (r.counterexample) {
    const { final: _f, ...result } = r.counterexample.result;
    void _f;
    counterexample = { ...r.counterexample, result };
  }
  return { seed: r.seed, runs: r.runs, events: r.events, coverage: r.coverage.toJSON(), branches: r.coverage.branches.toJSON(), counterexample };
}

/**
 * Runs a campaign on `workers` worker threads (`--workers N`): worker w of this shard i/n takes
 * runs j with j % (n * workers) === i + n * w, so the union is the shard. Workers import the
 * built dist/ files. The counterexample of the lowest failing run wins, as it would unsplit.
 */
export async function runParallel(opts: CampaignOptions, workers: number, onProgress?: (runs: number) => void, signal?: AbortSignal): Promise<WireResult> {
  const shard = opts.shard ?? { index: 0, count: 1 };
  const url = new URL('../../dist/fuzz/worker.js', import.meta.url);
  const { onRun: _o, ...data } = opts;
  void _o;
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      new Promise<WireResult>((resolve, reject) => {
        const worker = new Worker(url, { workerData: { ...data, shard: { index: shard.index + shard.count * w, count: shard.count * workers } } });
        let done: WireResult | null = null;
        // `fuzz` stops its workers on SIGINT (then prints what ran): the campaign is given up.
        const stop = (): void => {
          reject(new Error('fuzz campaign interrupted'));
          void worker.terminate();
        };
        if (signal?.aborted) stop();
        signal?.addEventListener('abort', stop, { once: true });
        worker.on('message', (m: { progress?: number; result?: WireResult }) => {
          if (m.progress) onProgress?.(m.progress);
          if (m.result) done = m.result;
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (done ? resolve(done) : reject(new Error(`fuzz worker ${w} exited with ${code} and no result`))));
      }),
    ),
  );
  const coverage = new Coverage();
  for (const p of parts) {
    coverage.merge(p.coverage);
    coverage.branches.merge(p.branches);
  }
  const failed = parts.filter((p) => p.counterexample).sort((a, b) => a.counterexample!.run - b.counterexample!.run);
  return {
    seed: opts.seed,
    runs: parts.reduce((n, p) => n + p.runs, 0),
    events: parts.reduce((n, p) => n + p.events, 0),
    coverage: coverage.toJSON(),
    branches: coverage.branches.toJSON(),
    counterexample: failed[0]?.counterexample ?? null,
  };
}
