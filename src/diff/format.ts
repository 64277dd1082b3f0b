import pc from 'picocolors';
import { AREAS } from './areas.js';
import type { Change, StateDiff } from './state-diff.js';
import { renderValue, wrapText } from './value.js';

export { cpulist, renderValue, wrapText } from './value.js';

export interface FormatOptions {
  /** ANSI colour (a terminal); off for pipes and files. */
  color: boolean;
  /** Line width values are wrapped at (a terminal's columns; default 100). Values are never cut. */
  width?: number;
}

/**
 * One change, its values whole: a line as long as the width allows, then continuation lines
 * indented under it (the "before" and "after" of a long change each start on their own line).
 */
function formatChange(c: Change, col: ReturnType<typeof pc.createColors>, width: number): string {
  const indent = '      ';
  const wrapped = (v: string, paint: (s: string) => string, first: number): string =>
    wrapText(v, width - indent.length, first)
      .map((l, i) => (i === 0 ? paint(l) : indent + paint(l)))
      .join('\n');
  const room = (prefix: string): number => width - prefix.length;
  if (c.kind === 'added' || c.kind === 'removed') {
    const sign = c.kind === 'added' ? col.green('+') : col.red('-');
    const prefix = `  + ${c.path} `;
    const v = renderValue(c.path, c.kind === 'added' ? c.after : c.before);
    return `  ${sign} ${c.path} ${wrapped(v, col.dim, room(prefix))}`;
  }
  const before = renderValue(c.path, c.before);
  const after = renderValue(c.path, c.after);
  const prefix = `  ~ ${c.path}: `;
  if (prefix.length + before.length + 3 + after.length <= width) {
    return `  ${col.yellow('~')} ${c.path}: ${col.red(before)} ${col.dim('→')} ${col.green(after)}`;
  }
  return [
    `  ${col.yellow('~')} ${c.path}:`,
    `    ${col.red('-')} ${wrapped(before, col.red, width - 6)}`,
    `    ${col.green('+')} ${wrapped(after, col.green, width - 6)}`,
  ].join('\n');
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
    for (const c of g.changes) lines.push(formatChange(c, col, opts.width ?? 100));
  }
  return lines.join('\n');
}
