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

const l6At = doc.indexOf('## What linux-6 changes');
const stateOnlyAt = doc.indexOf('## Differences visible in the state only');
/** The 2006/2009 part of the page and the linux-6 part (before the state-only list). */
const part2009 = doc.slice(0, l6At);
const twinsAt = doc.indexOf('### Twin traces (the version oracle)');
const partL6 = doc.slice(l6At, twinsAt);
/** The version oracle's twin traces (test/semantics/version-oracle.test.ts): listed, no rows of their own. */
const twins = [...doc.slice(twinsAt, stateOnlyAt).matchAll(/^- \[[\w-]+\]\(\.\.\/(traces\/pins\/[\w-]+\.json)\)/gm)].map((m) => m[1] as string);

/** The rows of one of docs/versions.md's tables: the page is the test's table of expectations. */
function rows(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| (.+?) \| `([\w.]+)` \| .+ \| \[[\w-]+\]\(\.\.\/(traces\/versions\/[\w-]+\.json)\) \| event (\d+) `(\w+)`(?: \(`--from (\d+)`\))? \| `(.+)` \| `(.+)` \|$/.exec(line);
    if (!m) continue;
    const [, rule, field, trace, index, op, from, a, b] = m as unknown as string[];
    out.push({ rule: rule as string, field: field as string, trace: trace as string, index: Number(index), op: op as string, from: from ? Number(from) : null, a: JSON.parse(a as string), b: JSON.parse(b as string) });
  }
  return out;
}

const table = rows(part2009);
const tableLines = part2009.split('\n').filter((l) => l.includes('](../traces/versions/'));
const tableL6 = rows(partL6);
const tableL6Lines = partL6.split('\n').filter((l) => l.includes('](../traces/versions/'));

/** The versions.ts fields (and defaults) on which versions `a` and `b` differ. */
function differingFields(a: (typeof VERSIONS)[keyof typeof VERSIONS], b: (typeof VERSIONS)[keyof typeof VERSIONS]): string[] {
  return [
    ...Object.keys(a).filter((k) => !['name', 'summary', 'defaults'].includes(k) && JSON.stringify(a[k as keyof typeof a]) !== JSON.stringify(b[k as keyof typeof b])),
    ...Object.keys(a.defaults)
      .filter((k) => JSON.stringify(a.defaults[k as keyof typeof a.defaults]) !== JSON.stringify(b.defaults[k as keyof typeof b.defaults]))
      .map((k) => `defaults.${k}`),
  ];
}

async function firstDivergence(row: Row, a: string, b: string): Promise<void> {
  const argv = ['diff', join(root, row.trace), '--semantics-a', a, '--semantics-b', b, '--first-divergence', '--json'];
  if (row.from !== null) argv.push('--from', String(row.from));
  await yargs().command(diffCommand).strict().fail(false).parseAsync(argv);
  expect(process.exitCode).toBe(1);
  const r = JSON.parse(out);
  expect(r.outcome).toEqual({ index: row.index, op: row.op, a: row.a, b: row.b });
  // The header's version is the one the trace's expects were recorded under.
  const header = JSON.parse(readFileSync(join(root, row.trace), 'utf8'));
  const events = header.events as { expect: unknown }[];
  expect(events[row.index - 1]?.expect).toEqual(header.semantics === a ? row.a : row.b);
}

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

  it('every trace under traces/versions/ has a row, every trace under traces/pins/ is a listed twin, and every row names an existing trace', () => {
    const files = readdirSync(join(root, 'traces', 'versions')).map((f) => `traces/versions/${f}`).sort();
    expect([...new Set([...table, ...tableL6].map((r) => r.trace))].sort()).toEqual(files);
    expect(twinsAt).toBeGreaterThan(l6At);
    const pins = readdirSync(join(root, 'traces', 'pins')).filter((f) => f.endsWith('.json')).map((f) => `traces/pins/${f}`).sort();
    expect([...twins].sort()).toEqual(pins);
  });

  it('every versions.ts field on which the two versions differ is in the table or the state-only list', () => {
    const differing = differingFields(VERSIONS['containers-2006'], VERSIONS['cgroups-2009']);
    const stateOnly = [...doc.slice(stateOnlyAt).matchAll(/^\| [^|]+ \| `([\w.]+)` \|/gm)].map((m) => m[1]);
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
    it(`${row.rule}: diff --first-divergence on ${row.trace} reports event ${row.index} (${row.op}) with both outcomes`, () =>
      firstDivergence(row, 'containers-2006', 'cgroups-2009'));
  }
});

describe('docs/versions.md: every rule that differs between cgroups-2009 and linux-6 (6.18 functions)', () => {
  it('every row of the linux-6 table parses, and each names a 6.18 function or the test machine', () => {
    expect(tableL6.length).toBe(tableL6Lines.length);
    expect(tableL6.length).toBeGreaterThanOrEqual(15);
    for (const line of tableL6Lines) expect(line).toMatch(/`\w+`|test machine|ENOSYS/);
  });

  it('every versions.ts field on which cgroups-2009 and linux-6 differ has a row', () => {
    const named = new Set(tableL6.map((r) => r.field));
    expect(differingFields(VERSIONS['cgroups-2009'], VERSIONS['linux-6']).filter((f) => !named.has(f))).toEqual([]);
  });

  it('the 2006/2009 table gives every rule its linux-6 column', () => {
    for (const line of tableLines) expect(line.split(' | ').length).toBe(9);
  });

  for (const row of tableL6) {
    it(`${row.rule}: diff --first-divergence (cgroups-2009 vs linux-6) on ${row.trace} reports event ${row.index} (${row.op})`, () =>
      firstDivergence(row, 'cgroups-2009', 'linux-6'));
  }
});
