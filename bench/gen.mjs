#!/usr/bin/env node
// Generates a benchmark trace: node bench/gen.mjs [--events N] [--seed S] [--out FILE]
import { parseArgs } from 'node:util';
import { generateTrace } from './lib/generate.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/data/trace-1m.ndjson' },
  },
});
const t0 = performance.now();
const summary = await generateTrace(values.out, Number(values.events), Number(values.seed), (i) => process.stderr.write(`${i} events\n`));
console.log(JSON.stringify({ out: values.out, seconds: +((performance.now() - t0) / 1000).toFixed(1), ...summary }, null, 1));
