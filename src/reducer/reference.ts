import { VERSIONS } from '../semantics/versions.js';
import { errnosUnder, type OpDef } from './op.js';
import { OPS } from './registry.js';

const EFFECT: Record<OpDef['effect'], string> = {
  none: 'nothing an invariant reads',
  scoped: 'tasks, numbers, VPSes or cgroups (recorded)',
  wholesale: 'wholesale (every invariant re-checked)',
};

/**
 * The table of ops at the head of docs/reference.md's Operations (src/doc/reference.ts), from the
 * op registry: per op, who performs it, what it models, what it may change, its errnos in check
 * order under each version, and the version rules it depends on.
 */
export function opTable(): string {
  const versions = Object.values(VERSIONS);
  const out = [
    `| op | by | models | may change | errnos: ${versions.map((v) => `\`${v.name}\``).join(' / ')} | version rules |`,
    '|---|---|---|---|---|---|',
  ];
  for (const d of OPS.values()) {
    const per = versions.map((v) => errnosUnder(d, v).join(', ') || '—');
    const errnos = per.every((e) => e === per[0]) ? (per[0] as string) : per.join(' / ');
    const change = EFFECT[d.effect] + (d.exits ? '; runs exit processing' : '') + (d.allocates ? '; allocates pids (a failure may move `last`)' : '');
    const injected = d.injected.length ? `; injected: ${d.injected.join(', ')}` : '';
    const rules = d.rules.map((r) => `\`${r}\``).join(', ') || '—';
    out.push(`| [\`${d.name}\`](#${d.name}) | ${d.env ? 'environment' : 'task'} | ${d.models.replace(/\|/g, '\\|')} | ${change} | ${errnos}${injected} | ${rules} |`);
  }
  return out.join('\n');
}
