#!/usr/bin/env node
// npm run fuzz:input: the CLI fuzzing itself (issue 14), src/cli/input-fuzz.ts built to dist/.
// Usage: node bin/fuzz-input.mjs [--inputs N] [--seed S] [--shard I/N] [--only I,J,...] [--memory MiB]
//   --inputs N   the campaign's size (default 1,000,000); input i is made from (seed, i) alone
//   --seed S     default: a printed seed from the clock
//   --shard I/N  run the inputs i with i % N == I (0 <= I < N): N processes with one seed and
//                --inputs together run exactly the campaign one process would
//   --only I,..  run just these inputs (a failure's index), to reproduce it
//   --memory M   the bound on peak resident memory in MiB (default 512)
// The last line is the summary as JSON (`fuzz:input: summary {...}`), for adding up shards.
import { runInputCampaign } from '../dist/cli/input-fuzz.js';

const say = (s) => process.stdout.write(s + '\n');
const die = (s) => {
  process.stderr.write(`fuzz:input: ${s}\n`);
  process.exit(2);
};
const raw = (name) => {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined) die(`${name} needs a value`);
  return v;
};
const count = (name, fallback, max) => {
  const v = raw(name);
  if (v === undefined) return fallback;
  if (!/^[0-9]+$/.test(v) || Number(v) > max) die(`${name} ${v}: a whole number from 0 to ${max}`);
  return Number(v);
};
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--') && !['--inputs', '--seed', '--shard', '--only', '--memory'].includes(a)) die(`unknown flag ${a}`);
}
const inputs = count('--inputs', 1_000_000, 1e9);
const seed = count('--seed', Date.now() % 0x7fffffff, 0xffffffff);
const memoryMiB = count('--memory', 512, 1 << 20);
let shard;
const shardText = raw('--shard');
if (shardText !== undefined) {
  const m = /^([0-9]+)\/([1-9][0-9]*)$/.exec(shardText);
  if (!m || Number(m[1]) >= Number(m[2])) die(`--shard ${shardText}: I/N with 0 <= I < N, e.g. 0/2`);
  shard = { index: Number(m[1]), count: Number(m[2]) };
}
const onlyText = raw('--only');
const only = onlyText === undefined ? undefined : onlyText.split(',').map((x) => (/^[0-9]+$/.test(x) ? Number(x) : die(`--only ${onlyText}: input indices, e.g. 17,4031`)));

const share = only ? `inputs ${only.join(',')}` : shard ? `shard ${shard.index}/${shard.count} (inputs i with i % ${shard.count} == ${shard.index})` : 'all of them';
say(`fuzz:input: seed ${seed}, a campaign of ${inputs} inputs, ${share}, through replay, validate and diff in-process`);
const t0 = performance.now();
let stopped = false;
process.on('SIGINT', () => (stopped = true));
const expected = only ? only.length : shard ? Math.ceil((inputs - shard.index) / shard.count) : inputs;
const r = await runInputCampaign({
  inputs,
  seed,
  shard,
  only,
  memoryMiB,
  stop: () => stopped,
  every: Math.max(1, Math.round(expected / 50)),
  onProgress: (n) => {
    const s = (performance.now() - t0) / 1000;
    say(`fuzz:input: ${n}/${expected} inputs, ${s.toFixed(0)} s, ${Math.round(n / s)}/s, rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB`);
  },
});
const seconds = (performance.now() - t0) / 1000;
const line = (m) => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
if (stopped) say('fuzz:input: stopped by SIGINT; the figures are those of the inputs run');
say(`fuzz:input: ${r.inputs} inputs in ${seconds.toFixed(0)} s (${Math.round(r.inputs / seconds)}/s), seed ${seed}, ${share}, peak RSS ${r.peakRssMiB} MiB (bound ${memoryMiB})`);
say(`exit statuses: ${line(r.exits)}`);
say(`by command: ${line(r.exitsByCommand)}`);
say(`kinds: ${line(r.kinds)}`);
say(`mutations applied: ${line(r.mutations)}`);
say(`routes: ${line(r.routes)}`);
say(`exit 3: ${r.exit3}, crashes: ${r.crashes}, stack traces: ${r.stacks}, stderr over one line: ${r.multiline}, inputs modified: ${r.modified}, over the memory bound: ${r.memory}`);
say(`bad inputs: ${r.bad}`);
for (const f of r.failures) say(`  ${JSON.stringify(f)}`);
if (r.failures.length > 0) say(`reproduce one: node bin/fuzz-input.mjs --inputs ${inputs} --seed ${seed} --only ${r.failures.filter((f) => f.index >= 0).map((f) => f.index).join(',')}`);
const { failures, ...figures } = r;
say(`fuzz:input: summary ${JSON.stringify({ ...figures, inputsInCampaign: inputs, seconds: Math.round(seconds), stopped, failures: failures.length })}`);
process.exitCode = r.bad === 0 ? (stopped ? 130 : 0) : 1;
