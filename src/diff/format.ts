import pc from 'picocolors';
import { canonicalJson, type Json } from '../state/json.js';
import { AREAS } from './areas.js';
import type { Change, StateDiff } from './state-diff.js';

/** Fields holding a set of cpus, memory nodes or cluster nodes: shown in the kernel's cpulist syntax. */
const LIST_FIELD = /(?:^|\.)(cpus|mems|effectiveCpus|effectiveMems|cpusOnline|memsOnline|nodesUp|cpuset\.cpus|cpuset\.mems)$/;
const MAX_VALUE = 120;

/** `[0,1,2,5]` → `0-2,5` (bitmap_scnlistprintf), or null when the array is not a sorted set of naturals. */
export function cpulist(xs: Json[]): string | null {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    const lo = xs[i];
    if (typeof lo !== 'number' || !Number.isInteger(lo) || lo < 0 || (i > 0 && lo <= (xs[i - 1] as number))) return null;
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === (xs[j] as number) + 1) j++;
    parts.push(j === i ? `${lo}` : `${lo}-${xs[j] as number}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** A value as one line for people: cpulists for cpu/mem sets, compact JSON otherwise, cut when long. */
export function renderValue(path: string, v: Json | undefined): string {
  if (v === undefined) return '(none)';
  if (Array.isArray(v) && LIST_FIELD.test(path)) {
    const list = cpulist(v);
    if (list !== null) return list === '' ? '(empty)' : list;
  }
  const text = canonicalJson(v);
  return text.length > MAX_VALUE ? text.slice(0, MAX_VALUE - 1) + '…' : text;
}

export interface FormatOptions {
  /** ANSI colour (a terminal); off for pipes and files. */
  color: boolean;
}

function formatChange(c: Change, col: ReturnType<typeof pc.createColors>): string {
  if (c.kind === 'added') return `  ${col.green('+')} ${c.path} ${col.dim(renderValue(c.path, c.after))}`;
  if (c.kind === 'removed') return `  ${col.red('-')} ${c.path} ${col.dim(renderValue(c.path, c.before))}`;
  return `  ${col.yellow('~')} ${c.path}: ${col.red(renderValue(c.path, c.before))} ${col.dim('→')} ${col.green(renderValue(c.path, c.after))}`;
}

/** Changes grouped by area (issue 5), areas in a fixed order, changes in diff order within each. */
export function groupByArea(changes: readonly Change[]): { id: string; title: string; changes: Change[] }[] {
  return AREAS.map((a) => ({ id: a.id, title: a.title, changes: changes.filter((c) => c.area === a.id) })).filter(
    (g) => g.changes.length > 0,
  );
}

/** The human form of a state diff: one heading per area, one line per change. */
export function formatDiff(d: StateDiff, opts: FormatOptions): string {
  const col = pc.createColors(opts.color);
  if (d.equal) return 'states are equal';
  const lines: string[] = [];
  for (const g of groupByArea(d.changes)) {
    lines.push(col.bold(`${g.title} (${g.changes.length})`));
    for (const c of g.changes) lines.push(formatChange(c, col));
  }
  return lines.join('\n');
}
