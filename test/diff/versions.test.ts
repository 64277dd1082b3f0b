import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { diffCommand } from '../../src/cli/commands/diff.js';
import { diffKernels } from '../../src/diff/state-diff.js';
import { bootKernel } from '../../src/replay/kernel.js';
import { VERSIONS } from '../../src/semantics/versions.js';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'versions.md'), 'utf8');

interface Row {
  rule: string;
  field: string;
  trace: string;
  index: number;
  op: string;
  from: number | null;
  a: unknown;
  b: unknown;
}

/** The rows of docs/versions.md's main table: the page is the test's table of expectations. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const line of doc.split('\n')) {
    const m = /^\| (.+?) \| `([\w.]+)` \| .+ \| \[[\w-]+\]\(\.\.\/(traces\/versions\/[\w-]+\.json)\) \| event (\d+) `(\w+)`(?: \(`--from (\d+)`\))? \| `(.+)` \| `(.+)` \|$/.exec(line);
    if (!m) continue;
    const [, rule, field, trace, index, op, from, a, b] = m as unknown as string[];
    out.push({ rule: rule as string, field: field as string, trace: trace as string, index: Number(index), op: op as string, from: from ? Number(from) : null, a: JSON.parse(a as string), b: JSON.parse(b as string) });
  }
  return out;
}

const table = rows();
const tableLines = doc.split('\n').filter((l) => l.includes('](../traces/versions/'));

let out = '';
beforeEach(() => {
  out = '';
  process.exitCode = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

describe('docs/versions.md: every rule that differs between containers-2006 and cgroups-2009', () => {
  it('every row of the table parses (none is silently skipped)', () => {
    expect(table.length).toBe(tableLines.length);
    expect(table.length).toBeGreaterThanOrEqual(20);
  });

  it('every trace under traces/versions/ has a row, and every row names an existing trace', () => {
    const files = readdirSync(join(root, 'traces', 'versions')).map((f) => `traces/versions/${f}`).sort();
    expect([...new Set(table.map((r) => r.trace))].sort()).toEqual(files);
  });

  it('every versions.ts field on which the two versions differ is in the table or the state-only list', () => {
    const [v6, v9] = [VERSIONS['containers-2006'], VERSIONS['cgroups-2009']];
    const differing = [
      ...Object.keys(v6).filter((k) => !['name', 'summary', 'defaults'].includes(k) && JSON.stringify(v6[k as keyof typeof v6]) !== JSON.stringify(v9[k as keyof typeof v9])),
      ...Object.keys(v6.defaults)
        .filter((k) => JSON.stringify(v6.defaults[k as keyof typeof v6.defaults]) !== JSON.stringify(v9.defaults[k as keyof typeof v9.defaults]))
        .map((k) => `defaults.${k}`),
    ];
    const stateOnly = [...doc.slice(doc.indexOf('## Differences visible in the state only')).matchAll(/^\| [^|]+ \| `([\w.]+)` \|/gm)].map((m) => m[1]);
    const named = new Set([...table.map((r) => r.field), ...stateOnly]);
    expect(differing.filter((f) => !named.has(f))).toEqual([]);
    expect(stateOnly.sort()).toEqual(['cssSets', 'defaults.subsysSlots']);
  });

  it('the state-only differences show in the state diff of the boot states', () => {
    const paths = diffKernels(bootKernel({}, 'containers-2006'), bootKernel({}, 'cgroups-2009')).changes.map((c) => c.path);
    expect(paths.some((p) => p.startsWith('cssSets['))).toBe(true);
    expect(paths).toContain('config.subsysSlots');
  });

  for (const row of table) {
    it(`${row.rule}: diff --first-divergence on ${row.trace} reports event ${row.index} (${row.op}) with both outcomes`, async () => {
      const argv = ['diff', join(root, row.trace), '--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009', '--first-divergence', '--json'];
      if (row.from !== null) argv.push('--from', String(row.from));
      await yargs().command(diffCommand).strict().fail(false).parseAsync(argv);
      expect(process.exitCode).toBe(1);
      const r = JSON.parse(out);
      expect(r.outcome).toEqual({ index: row.index, op: row.op, a: row.a, b: row.b });
      // The header's version is the one the trace's expects were recorded under.
      const header = JSON.parse(readFileSync(join(root, row.trace), 'utf8'));
      const events = header.events as { expect: unknown }[];
      expect(events[row.index - 1]?.expect).toEqual(header.semantics === 'containers-2006' ? row.a : row.b);
    });
  }
});
