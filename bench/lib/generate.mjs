import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { dist } from './dist.mjs';

const FLUSH_AT = 1 << 20;

/** Bump when the workload changes, so cached traces in bench/data/ are regenerated. */
export const GENERATOR_VERSION = 2;

/**
 * Writes an NDJSON trace of `events` events of the benchmark workload (src/workload/bench.ts,
 * over dist/) from `seed`: the header line, then one event per line with its outcome (from the
 * model itself) as `expect`, so the trace replays with zero divergences. Written to a temporary
 * name and renamed, so an interrupted run never leaves a truncated trace behind. Returns a
 * summary of the outcomes.
 */
export async function generateTrace(path, events, seed = 1, onProgress) {
  const { bootKernel, step } = await dist('replay/kernel.js');
  const { BENCH_HEADER, benchWorkload } = await dist('workload/bench.js');
  const k = bootKernel(BENCH_HEADER);
  const w = benchWorkload(k, step, seed);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  const counts = { ret: 0, err: 0, blocked: 0 };
  const ops = Object.create(null);
  let buf = JSON.stringify(BENCH_HEADER) + '\n';
  let maxTasks = 0;
  for (let i = 1; i <= events; i++) {
    const ev = w.next();
    counts[Object.keys(ev.expect)[0]]++;
    ops[ev.op] = (ops[ev.op] ?? 0) + 1;
    buf += JSON.stringify(ev) + '\n';
    if (buf.length >= FLUSH_AT) {
      writeSync(fd, buf);
      buf = '';
    }
    if (k.s.tasks.size > maxTasks) maxTasks = k.s.tasks.size;
    if (onProgress && i % 1_000_000 === 0) onProgress(i);
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, path);
  let cgroups = 0;
  for (const h of k.s.cg.hierarchies.values()) cgroups += h.cgroups.size;
  return { events, counts, ops, maxTasks, finalTasks: k.s.tasks.size, finalCgroups: cgroups };
}
