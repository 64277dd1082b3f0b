#!/usr/bin/env node
// One measurement in a fresh process: node bench/worker.mjs <case> [trace] [options as JSON].
// Prints one JSON line: { case, ms, events, ... }. bench/run.mjs spawns these side by side.
import { dist } from './lib/dist.mjs';

const [name, trace, optsText] = process.argv.slice(2);
const opts = optsText ? JSON.parse(optsText) : {};

/**
 * The lines of the trace, as the replay reads them (bounded lines, UTF-8 checked); a checkout
 * from before src/trace/input.ts (bench/compare.mjs measures older ones too) has lines.js.
 */
const traceLines = await dist('trace/input.js').then(
  (m) => () => m.readLines(m.openInput(trace), trace, m.DEFAULT_LIMITS.maxLineBytes),
  async () => {
    const { readLines } = await dist('trace/lines.js');
    const { openSync } = await import('node:fs');
    return () => readLines(openSync(trace, 'r'));
  },
);

/**
 * The clock of a timed section: wall time, and the CPU time of the whole process (all threads),
 * which the load of a shared machine disturbs far less; `cpuMs` in the output is from the last
 * `clock()` to the end of the case.
 */
let cpuStart = process.cpuUsage();
function clock() {
  cpuStart = process.cpuUsage();
  return performance.now();
}

/** Floor: read the NDJSON lines and JSON.parse each, nothing else. */
function floor() {
  let events = 0;
  const t0 = clock();
  for (const { text } of traceLines()) {
    if (text.length > 0 && JSON.parse(text)) events++;
  }
  return { ms: performance.now() - t0, events: events - 1 };
}

/** `replayFile` with invariants off: what `kreplay replay --no-invariants` does, minus the CLI. */
async function replayOff() {
  const { replayFile } = await dist('replay/replay.js');
  const t0 = clock();
  const r = replayFile(trace, { invariants: false });
  return { ms: performance.now() - t0, events: r.events, divergences: r.divergences.length };
}

/**
 * Where replay's time beyond the floor goes: the floor's loop plus the stages `opts.stages` names
 * (at least one; the floor case is the loop without any), added one at a time across runs: v = ajv validation of each event (its compile included), s =
 * `step`, e = the `expect` comparison. E.g. {"stages":"vs"} reads, parses, validates and steps.
 */
async function stages() {
  const { validators } = await dist('trace/schemas.js');
  const { bootKernel, step } = await dist('replay/kernel.js');
  const { matchesExpect } = await dist('replay/expect.js');
  const want = opts.stages ?? '';
  const t0 = clock();
  const lines = traceLines();
  const k = bootKernel(JSON.parse(lines.next().value.text));
  const validate = want.includes('v') ? validators().event : null;
  const stepping = want.includes('s');
  const comparing = stepping && want.includes('e');
  let events = 0;
  let divergences = 0;
  for (const { text } of lines) {
    if (text.length === 0) continue;
    const ev = JSON.parse(text);
    if (validate !== null && !validate(ev)) throw new Error(`event ${events + 1} is not well-formed`);
    if (stepping) {
      const outcome = step(k, ev);
      if (comparing && ev.expect !== undefined && !matchesExpect(ev.expect, outcome)) divergences++;
    }
    events++;
  }
  return { ms: performance.now() - t0, events, stages: want, divergences };
}

/**
 * The reducer alone: every event parsed beforehand and moved to the old generation by forced GCs
 * (needs `node --expose-gc`), so the scavenges inside the timed loop copy only what `step` itself
 * allocates, not parsed events waiting their turn. Only `step` is timed.
 */
async function reducer() {
  if (typeof globalThis.gc !== 'function') throw new Error('the reducer case needs node --expose-gc');
  const { bootKernel, step } = await dist('replay/kernel.js');
  const lines = traceLines();
  const k = bootKernel(JSON.parse(lines.next().value.text));
  const events = [];
  for (const { text } of lines) if (text.length > 0) events.push(JSON.parse(text));
  globalThis.gc();
  globalThis.gc();
  const t0 = clock();
  for (let i = 0; i < events.length; i++) step(k, events[i]);
  return { ms: performance.now() - t0, events: events.length };
}

/**
 * The replay loop of replayEvents (stream, step, compare expect) with one of three checkers:
 * none, full (every invariant in full after every event: replayEvents with fullInvariants), incremental
 * (scoped checks after every event: IncrementalChecker, what replayEvents does by default).
 * `limit` replays only the first events (full checking of 1M events would take hours).
 */
async function checkedReplay(mode) {
  const { openTrace } = await dist('trace/load.js');
  const { bootKernel, step } = await dist('replay/kernel.js');
  const { replayEvents } = await dist('replay/replay.js');
  const { matchesExpect } = await dist('replay/expect.js');
  const { IncrementalChecker } = await dist('replay/incremental.js');
  const t = openTrace(trace);
  const limit = opts.limit ?? Infinity;
  const t0 = clock();
  let events = 0;
  let divergences = 0;
  let violations = 0;
  if (mode === 'full') {
    const r = replayEvents(t.header, t.events, { at: limit, keepOutcomes: false, fullInvariants: true });
    events = r.events;
    divergences = r.divergences.length;
    violations = r.violations.length;
  } else {
    const k = bootKernel(t.header);
    const checker = mode === 'incremental' ? new IncrementalChecker(k, undefined, opts) : null;
    for (const ev of t.events) {
      const outcome = checker ? checker.step(ev) : step(k, ev);
      if (ev.expect !== undefined && !matchesExpect(ev.expect, outcome)) divergences++;
      if (++events >= limit) break;
    }
    checker?.finish();
    violations = checker?.violations.length ?? 0;
  }
  t.close();
  return { ms: performance.now() - t0, events, divergences, violations };
}

/** Fuzzing throughput: one campaign on one core, every event checked (invariants, atomicity, properties). */
async function fuzz() {
  const { runCampaign } = await dist('fuzz/campaign.js');
  const t0 = clock();
  const r = runCampaign({ runs: opts.runs ?? 300, seed: opts.seed ?? 1, maxEvents: opts.maxEvents ?? 60, faults: false });
  return { ms: performance.now() - t0, events: r.events, runs: r.runs, failed: r.counterexample !== null };
}

/**
 * Diff of two states of `tasks` tasks vs serializing both: state a is init with `tasks` children
 * spread over a few process groups and cgroups; b is a after a few hundred more events.
 */
async function diff() {
  const { bootKernel, step } = await dist('replay/kernel.js');
  const { diffKernels } = await dist('diff/state-diff.js');
  const { canonicalStateText } = await dist('state/canonical.js');
  const n = opts.tasks ?? 100_000;
  const header = { kreplay: 1, semantics: 'cgroups-2009', config: { pidMax: 4 * n + 65536 } };
  const a = bootKernel(header);
  step(a, { op: 'mount', by: 1, hierarchy: 'u', subsystems: [] });
  step(a, { op: 'mkdir', by: 1, hierarchy: 'u', path: '/g' });
  for (let i = 1; i < n; i++) {
    const r = step(a, { op: 'fork', by: 1 });
    if (i % 100 === 0) step(a, { op: 'setpgid', by: 1, pid: r.ret, pgid: 0 });
    if (i % 7 === 0) step(a, { op: 'attach', by: 1, hierarchy: 'u', path: '/g', pid: r.ret });
  }
  const b = { s: structuredClone(a.s), v: a.v };
  const pids = [...b.s.tasks.keys()];
  for (let i = 0; i < 300; i++) {
    const pid = pids[1 + ((i * 7919) % (pids.length - 1))];
    if (i % 3 === 0) step(b, { op: 'exit', by: pid, code: i });
    else if (i % 3 === 1) step(b, { op: 'attach', by: 1, hierarchy: 'u', path: '/', pid });
    else step(b, { op: 'fork', by: pid });
  }
  let t0 = clock();
  const sa = canonicalStateText(a.s, a.v);
  const sb = canonicalStateText(b.s, b.v);
  const serializeMs = performance.now() - t0;
  t0 = clock();
  const d = diffKernels(a, b);
  const diffMs = performance.now() - t0;
  return { ms: diffMs, serializeMs, tasks: a.s.tasks.size, changes: d.changes.length, bytes: sa.length + sb.length };
}

/**
 * Live heap against trace length: replays with invariants off and, every 1M events, forces a GC
 * and samples the heap and the RSS. Needs `node --expose-gc`.
 */
async function heap() {
  if (typeof globalThis.gc !== 'function') throw new Error('the heap case needs node --expose-gc');
  const { replayFile } = await dist('replay/replay.js');
  const samples = [];
  const t0 = clock();
  const r = replayFile(trace, {
    invariants: false,
    onEvent: (index) => {
      if (index % 1_000_000 !== 0) return;
      globalThis.gc();
      const { heapUsed, rss } = process.memoryUsage();
      samples.push({ events: index, heapUsed, rss });
    },
  });
  return { ms: performance.now() - t0, events: r.events, samples };
}

const CASES = {
  floor,
  'replay-off': replayOff,
  stages,
  reducer,
  'loop-off': () => checkedReplay('off'),
  'loop-full': () => checkedReplay('full'),
  'loop-incremental': () => checkedReplay('incremental'),
  fuzz,
  diff,
  heap,
};

const run = CASES[name];
if (!run) {
  console.error(`unknown case ${name}; one of ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
const result = await run();
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(JSON.stringify({ case: name, ...result, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
