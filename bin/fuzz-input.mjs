#!/usr/bin/env node
// npm run fuzz:input: the CLI fuzzing itself (issue 14), src/cli/input-fuzz.ts built to dist/.
// Usage: node bin/fuzz-input.mjs [--inputs N] [--seed S]   (default 1,000,000 inputs, a printed seed)
import { runInputCampaign } from '../dist/cli/input-fuzz.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const inputs = arg('--inputs', 1_000_000);
const seed = arg('--seed', Date.now() % 0x7fffffff);
const say = (s) => process.stdout.write(s + '\n');
say(`fuzz:input: seed ${seed}, ${inputs} inputs through replay, validate and diff in-process`);
const t0 = performance.now();
let stopped = false;
process.on('SIGINT', () => (stopped = true));
const r = await runInputCampaign({
  inputs,
  seed,
  stop: () => stopped,
  every: Math.max(1, Math.round(inputs / 20)),
  onProgress: (n) => say(`fuzz:input: ${n}/${inputs} inputs, ${((performance.now() - t0) / 1000).toFixed(0)} s`),
});
const seconds = (performance.now() - t0) / 1000;
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
if (stopped) say('fuzz:input: stopped by SIGINT; the figures are those of the inputs run');
say(`fuzz:input: ${r.inputs} inputs in ${seconds.toFixed(0)} s (${Math.round(r.inputs / seconds)}/s), seed ${seed}, max RSS ${rss} MiB`);
say(`exit statuses: ${Object.entries(r.exits).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
say(`commands: ${Object.entries(r.commands).map(([k, v]) => `${k} ${v}`).join(', ')}`);
say(`exit 3, crashes or stack traces: ${r.bad}`);
for (const f of r.failures) say(`  ${JSON.stringify(f)}`);
process.exitCode = r.bad === 0 ? 0 : 1;
