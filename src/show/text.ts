import type pc from 'picocolors';
import { wrapText } from '../diff/value.js';
import { cgroupDepth, cgroupName, type EventView, type ProcessView, type StateView } from './view.js';

type Colours = ReturnType<typeof pc.createColors>;

/** Where the shown state comes from: the heading of `kreplay show`. */
export interface ShowSource {
  source: string;
  /** Events applied; null for a state file. */
  at: number | null;
  stateHash: string;
  event: EventView | null;
}

const STATE_COLOUR: Record<string, (c: Colours, s: string) => string> = {
  running: (c, s) => c.green(s),
  stopped: (c, s) => c.yellow(s),
  zombie: (c, s) => c.red(s),
};

function processLine(p: ProcessView, c: Colours): string {
  const paint = STATE_COLOUR[p.state] ?? ((_c: Colours, s: string) => s);
  const parts = [c.bold(String(p.pid))];
  if (p.vpid !== null) parts.push(c.cyan(`vps ${p.vps} vpid ${p.vpid}`));
  parts.push(paint(c, p.exit === null ? p.state : `${p.state} (${p.exit})`));
  parts.push(c.dim(`pgrp ${p.pgid} session ${p.sid}`));
  if (p.tracer !== 0) parts.push(c.magenta(`traced by ${p.tracer}`));
  if (p.traced.length > 0) parts.push(c.magenta(`tracing ${p.traced.join(',')}`));
  parts.push(c.dim(`node ${p.node}`));
  if (p.execd) parts.push(c.dim('execd'));
  if (p.pending.length > 0) parts.push(c.yellow(`pending ${p.pending.join(',')}`));
  return parts.join('  ');
}

/** The process tree: each task under its parent, in the order its parent's children list has them. */
function processTree(v: StateView, c: Colours): string[] {
  const byPid = new Map(v.processes.map((p) => [p.pid, p]));
  const lines: string[] = [];
  const walk = (pid: number, prefix: string, last: boolean, top: boolean): void => {
    const p = byPid.get(pid);
    if (!p) return;
    lines.push(top ? `  ${processLine(p, c)}` : `  ${prefix}${last ? '└─ ' : '├─ '}${processLine(p, c)}`);
    const kids = p.children.filter((k) => byPid.has(k));
    const next = top ? prefix : prefix + (last ? '   ' : '│  ');
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1, false));
  };
  for (const root of v.roots) walk(root, '', true, true);
  return lines;
}

function cgroupLines(v: StateView, c: Colours, width: number): string[] {
  const lines: string[] = v.hierarchies.length === 0 ? [c.dim('  no hierarchy mounted')] : [];
  for (const h of v.hierarchies) {
    const agent = h.releaseAgent === '' ? '' : c.dim(`  release_agent ${h.releaseAgent}`);
    lines.push(`  ${c.bold(h.name)} ${c.dim(`(${h.subsystems.join(', ') || 'no subsystems'})`)}${agent}`);
    for (const cg of h.cgroups) {
      const indent = '    ' + '  '.repeat(cgroupDepth(cg.path));
      const settings = cg.settings.map(([k, val]) => `${k} ${val}`).join('  ');
      const tasks = cg.tasks.length === 0 ? 'no tasks' : `tasks ${cg.tasks.join(',')}`;
      const head = `${indent}${c.cyan(cgroupName(cg.path))}  `;
      const body = [settings, tasks].filter((x) => x !== '').join('  ');
      // Wrapped (plain text, so no colour code is ever cut), never cut short: many tasks continue on indented lines.
      const wrapped = wrapText(body, Math.max(20, width - indent.length - 2), Math.max(20, width - head.length));
      lines.push(head + (wrapped[0] as string), ...wrapped.slice(1).map((l) => `${indent}  ${l}`));
    }
  }
  if (v.unbound.length > 0) lines.push(`  ${c.dim(`not bound to a hierarchy: ${v.unbound.join(', ')}`)}`);
  return lines;
}

function eventLine(e: EventView, c: Colours): string[] {
  const by = e.by === null ? '' : ` by ${e.by}`;
  const outcome = JSON.stringify(e.outcome);
  const lines = [`after event ${e.index} (${e.op}${by}): ${e.diverged ? c.red(outcome) : outcome}`];
  if (e.diverged) lines.push(`  ${c.red('divergence')}: expected ${JSON.stringify(e.expected)}`);
  if (e.reason !== undefined) lines.push(`  ${c.dim('because')} ${e.reason}`);
  return lines;
}

/** `kreplay show` for people: the heading, then processes, cgroups, VPSs and nodes. */
export function formatShow(v: StateView, src: ShowSource, c: Colours, width = 100): string {
  const where = src.at === null ? 'state file' : `after ${src.at} event${src.at === 1 ? '' : 's'}`;
  const out = [`${c.bold(src.source)}  ${where}, ${v.semantics}  ${c.dim(src.stateHash)}`];
  if (src.event) out.push(...eventLine(src.event, c));
  out.push('', c.bold(`processes (${v.processes.length})`), ...processTree(v, c));
  out.push('', c.bold(`cgroups (cpus online ${v.cpusOnline}, mems online ${v.memsOnline})`));
  out.push(...cgroupLines(v, c, width));
  if (v.vpses.length > 0) {
    out.push('', c.bold(`VPSs (${v.vpses.length})`));
    for (const x of v.vpses) {
      const map = x.map.map((m) => `${m.vpid}→${m.pid}`).join(' ');
      const head = `  ${c.bold(String(x.id))} ${c.dim(`init ${x.init}, ${x.mode}`)}  `;
      const wrapped = wrapText(map || '(no tasks)', width - 6, width - head.length);
      out.push(head + (wrapped[0] as string), ...wrapped.slice(1).map((l) => `      ${l}`));
    }
  }
  if (v.images.length > 0) out.push('', c.bold('checkpoint images'), ...v.images.map((i) => `  ${i.name}  vps ${i.vps}, ${i.tasks} tasks`));
  out.push('', c.bold('nodes'));
  for (const n of v.nodes) {
    const tasks = n.tasks.length === 0 ? 'no tasks' : `tasks ${n.tasks.join(',')}`;
    const head = `  ${n.node} ${n.up ? c.green('up') : c.red('down')}  `;
    const wrapped = wrapText(tasks, width - 6, width - 10);
    out.push(head + (wrapped[0] as string), ...wrapped.slice(1).map((l) => `      ${l}`));
  }
  if (v.injections.length > 0) out.push('', c.bold('pending fault injections'), ...v.injections.map((i) => `  ${i}`));
  return out.join('\n');
}
