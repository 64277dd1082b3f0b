#!/usr/bin/env node
// Fuzz throughput with postconditions on and off, side by side (issue 12: within 20%).
//   node bench/postconditions.mjs [--runs N] [--reps N]
// Each repetition runs `npm run fuzz`'s campaign (seed 1, up to 60 events, every check) once with
// the postconditions and once without, each in a fresh process, in alternating order; the figure
// is events per second of the process's CPU time (user + system), the median of the repetitions.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dist } from './lib/dist.mjs';
import { median } from './lib/stats.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, reps: { type: 'string', default: '3' }, child: { type: 'string' } } });
const runs = Number(values.runs);

if (values.child !== undefined) {
  const { runCampaign } = await dist('fuzz/campaign.js');
  const c0 = process.cpuUsage();
  const r = runCampaign({ runs, seed: 1, maxEvents: 60, faults: false, events: { invariants: true, atomicity: true, postconditions: values.child === 'on' } });
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ events: r.events, cpu: (c.user + c.system) / 1e6 }) + '\n');
} else {
  const eps = { on: [], off: [] };
  for (let i = 0; i < Number(values.reps); i++) {
    for (const mode of i % 2 ? ['off', 'on'] : ['on', 'off']) {
      const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, '--runs', String(runs)], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(p.stderr);
      const { events, cpu } = JSON.parse(p.stdout);
      eps[mode].push(events / cpu);
      process.stdout.write(`postconditions ${mode}: ${events} events in ${cpu.toFixed(2)} s of CPU, ${Math.round(events / cpu)} events/s\n`);
    }
  }
  const on = median(eps.on);
  const off = median(eps.off);
  process.stdout.write(`median: on ${Math.round(on)} events/s, off ${Math.round(off)} events/s, on/off ${(on / off).toFixed(3)} (${((on / off - 1) * 100).toFixed(1)}%)\n`);
}
