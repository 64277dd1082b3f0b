#!/usr/bin/env node
// Side by side against other checkouts (each built: dist/ and node_modules), in one run:
//   node bench/compare.mjs [--reps N] [--only a,b] [--match REGEX] [--trace FILE] [--wall] [--json FILE] NAME=DIR ...
// e.g. node bench/compare.mjs --reps 5 base=../base this=.
// Every repetition runs each case once per checkout, in a rotating order, each in a fresh process
// (this checkout's bench/worker.mjs over that checkout's dist/, or that checkout's bin/kreplay),
// so the load of a shared machine hits every checkout alike; the table shows medians and each
// checkout's ratio to the first. Figures are CPU time of the timed section (user + system, all
// threads), which other processes on the machine disturb far less than wall time (--wall: wall).
// Cases: the rows of bench/run.mjs (without the 10M trace and record), plus the CLI itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA, ROOT } from './lib/dist.mjs';
import { median, table } from './lib/stats.mjs';
import { GENERATOR_VERSION } from './lib/generate.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: 'string', default: '5' },
    only: { type: 'string' },
    match: { type: 'string' },
    trace: { type: 'string', default: join(DATA, `trace-1m-v${GENERATOR_VERSION}.ndjson`) },
    json: { type: 'string' },
    wall: { type: 'boolean', default: false },
  },
});
const time = (r) => (values.wall ? r.ms : r.cpuMs);
const trees = positionals.map((p) => {
  const i = p.indexOf('=');
  if (i <= 0) throw new Error(`expected NAME=DIR, got ${p}`);
  return { name: p.slice(0, i), dir: resolve(p.slice(i + 1)) };
});
if (trees.length < 2) throw new Error('name at least two checkouts: NAME=DIR NAME=DIR');
const trace = resolve(values.trace);

/** One measurement by checkout `dir`: its worker's JSON line. */
function worker(dir, name, opts = {}, nodeFlags = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, join(ROOT, 'bench/worker.mjs'), name, trace, JSON.stringify(opts)], {
    encoding: 'utf8',
    env: { ...process.env, KREPLAY_BENCH_ROOT: dir },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${dir}: bench case ${name} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** `kreplay replay [--no-invariants] --json trace` of checkout `dir`: wall time and peak RSS. */
function cli(dir, flags) {
  const tmp = mkdtempSync(join(tmpdir(), 'kreplay-cmp-'));
  const out = join(tmp, 'rss');
  const cpuOut = join(tmp, 'cpu');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench/lib/rss-probe.mjs'), join(dir, 'bin/kreplay'), 'replay', ...flags, '--json', trace], {
      encoding: 'utf8',
      env: { ...process.env, KREPLAY_RSS_OUT: out, KREPLAY_CPU_OUT: cpuOut },
      maxBuffer: 1 << 26,
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${dir}: kreplay replay exited ${r.status}:\n${r.stderr}`);
    return { ms, cpuMs: Number(readFileSync(cpuOut, 'utf8')), rss: Number(readFileSync(out, 'utf8')) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const eps = (r) => (r.events / time(r)) * 1000;
/** Each row: group, label, how to measure it, the figure (and whether higher is better). */
const ROWS = [
  ['replay', 'floor: read + JSON.parse 1M lines (ms)', (d) => worker(d, 'floor'), time, false],
  ['replay', 'replay 1M, invariants off, replayFile (ms)', (d) => worker(d, 'replay-off'), time, false],
  ['replay', 'reducer alone (events/s)', (d) => worker(d, 'reducer', {}, ['--expose-gc']), eps, true],
  ...['v', 's', 'vs', 'vse'].map((s) => ['stages', `stages: floor + ${s} (ms)`, (d) => worker(d, 'stages', { stages: s }), time, false]),
  ['invariants', 'replay loop, invariants off (events/s)', (d) => worker(d, 'loop-off'), eps, true],
  ['invariants', 'replay loop, scoped invariants (events/s)', (d) => worker(d, 'loop-incremental'), eps, true],
  ['invariants', 'replay loop, full invariants, first 10k (events/s)', (d) => worker(d, 'loop-full', { limit: 10_000 }), eps, true],
  ['memory', 'CLI replay --no-invariants --json 1M (ms)', (d) => cli(d, ['--no-invariants']), time, false],
  ['memory', 'CLI replay --no-invariants --json 1M, peak RSS (MiB)', null, (r) => r.rss / (1 << 20), false],
  ['cli', 'CLI replay --json 1M, scoped invariants (ms)', (d) => cli(d, []), time, false],
  ['fuzz', 'fuzz, 300 runs (checked events/s)', (d) => worker(d, 'fuzz', { runs: 300, maxEvents: 60 }), eps, true],
  ['fuzz', 'fuzz, 10,000 runs (checked events/s)', (d) => worker(d, 'fuzz', { runs: 10_000, maxEvents: 60 }), eps, true],
  ['diff', 'diff of two 100,000-task states (ms)', (d) => worker(d, 'diff', { tasks: 100_000 }), time, false],
];
const only = values.only ? new Set(values.only.split(',')) : null;
const match = values.match ? new RegExp(values.match) : null;
const rows = ROWS.filter(([g, label]) => (only === null || only.has(g)) && (match === null || match.test(label)));

// results[row][tree] = the raw results; a row without a measure of its own reads the row above's
const raw = rows.map(() => trees.map(() => []));
const reps = Number(values.reps);
for (let rep = 0; rep < reps; rep++) {
  for (let i = 0; i < rows.length; i++) {
    const run = rows[i][2];
    if (run === null) continue;
    for (let j = 0; j < trees.length; j++) {
      const t = (j + rep + i) % trees.length;
      const r = run(trees[t].dir);
      raw[i][t].push(r);
      process.stderr.write(`  ${trees[t].name}: ${rows[i][1]}: ${rows[i][3](r).toFixed(1)}\n`);
      if (i + 1 < rows.length && rows[i + 1][2] === null) raw[i + 1][t].push(r);
    }
  }
  process.stderr.write(`repetition ${rep + 1}/${reps} done\n`);
}

const out = [];
const record = [];
rows.forEach(([, label, , figure, higher], i) => {
  const meds = raw[i].map((rs) => median(rs.map(figure)));
  // a ratio above 1 is worse than the first checkout, whichever way the figure goes
  const ratios = meds.map((m) => (higher ? meds[0] / m : m / meds[0]));
  out.push([label, ...meds.map((m) => (m >= 1000 ? Math.round(m).toLocaleString('en-US') : m.toFixed(1))), ...ratios.slice(1).map((x) => x.toFixed(3))]);
  record.push({ label, medians: meds, ratios, runs: raw[i].map((rs) => rs.map(figure)) });
});
console.log(`side by side: ${trees.map((t) => `${t.name}=${t.dir}`).join(', ')}; ${reps} repetitions, medians; ratio > 1 is worse than ${trees[0].name}\n`);
console.log(table(['benchmark', ...trees.map((t) => t.name), ...trees.slice(1).map((t) => `${t.name}/${trees[0].name}`)], out));
if (values.json) writeFileSync(values.json, JSON.stringify({ trees, trace, reps, rows: record }, null, 1) + '\n');
