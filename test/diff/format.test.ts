import { describe, expect, it } from 'vitest';
import { cpulist, formatDiff, groupByArea, renderValue, wrapText } from '../../src/diff/format.js';
import type { Change } from '../../src/diff/state-diff.js';

const changes: Change[] = [
  { area: 'cpusets', path: 'cgroups[cs:/a].cpus', kind: 'changed', before: [0, 1], after: [0] },
  { area: 'pgrps', path: 'tasks[42].pgid', kind: 'changed', before: 40, after: 42 },
  { area: 'tasks', path: 'tasks[43]', kind: 'added', after: { pid: 43 } },
  { area: 'tasks', path: 'tasks[44]', kind: 'removed', before: { pid: 44 } },
];
const ESC = '\u001b[';

describe('human diff output', () => {
  it('cpulist prints sets in the kernel list syntax', () => {
    expect(cpulist([0, 1, 2, 5])).toBe('0-2,5');
    expect(cpulist([3])).toBe('3');
    expect(cpulist([])).toBe('');
    expect(cpulist([2, 1])).toBeNull();
  });

  it('renders cpu and mem sets as lists, other values as compact JSON', () => {
    expect(renderValue('cgroups[cs:/a].cpus', [0, 1, 3])).toBe('0-1,3');
    expect(renderValue('tasks[2].effectiveMems', [])).toBe('(empty)');
    expect(renderValue('tasks[2].children', [3, 4])).toBe('[3,4]');
    expect(renderValue('x', 'a')).toBe('"a"');
    expect(renderValue('x', 'y'.repeat(500))).toBe(JSON.stringify('y'.repeat(500)));
  });

  it('groups changes by area in a fixed order', () => {
    expect(groupByArea(changes).map((g) => g.title)).toEqual(['tasks', 'process groups and sessions', 'cpusets']);
  });

  it('plain output (no terminal) has one heading per area, one line per change, no colour', () => {
    const text = formatDiff({ equal: false, changes }, { color: false });
    expect(text).not.toContain(ESC);
    expect(text.split('\n')).toEqual([
      'tasks (2)',
      '  + tasks[43] {"pid":43}',
      '  - tasks[44] {"pid":44}',
      'process groups and sessions (1)',
      '  ~ tasks[42].pgid: 40 → 42',
      'cpusets (1)',
      '  ~ cgroups[cs:/a].cpus: 0-1 → 0',
    ]);
  });

  it('long values are printed whole, wrapped at the width, never cut with …', () => {
    const big = { pid: 45, children: Array.from({ length: 80 }, (_, i) => i + 100) };
    const long: Change[] = [
      { area: 'tasks', path: 'tasks[45]', kind: 'added', after: big },
      { area: 'tasks', path: 'tasks[45].children', kind: 'changed', before: big.children, after: [...big.children, 999] },
    ];
    const text = formatDiff({ equal: false, changes: long }, { color: false, width: 60 });
    expect(text).not.toContain('…');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    const joined = text.replace(/\n {6}/g, '');
    expect(joined).toContain(JSON.stringify(big.children));
    expect(joined).toContain(`+ ${JSON.stringify([...big.children, 999])}`);
  });

  it('wrapText breaks after commas and loses nothing', () => {
    const text = JSON.stringify(Array.from({ length: 50 }, (_, i) => i));
    const lines = wrapText(text, 30, 20);
    expect(lines.join('')).toBe(text);
    expect(lines[0]?.length).toBeLessThanOrEqual(20);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.slice(0, -1).every((l) => l.endsWith(','))).toBe(true);
    expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('terminal output is coloured', () => {
    expect(formatDiff({ equal: false, changes }, { color: true })).toContain(ESC);
  });

  it('equal states say so', () => {
    expect(formatDiff({ equal: true, changes: [] }, { color: false })).toBe('states are equal');
  });
});
