import { VERSIONS } from '../semantics/versions.js';
import { errnosUnder, type OpDef } from './op.js';
import { OPS } from './registry.js';

const EFFECT: Record<OpDef['effect'], string> = {
  none: 'nothing an invariant reads',
  scoped: 'tasks, numbers, VPSes or cgroups (recorded)',
  wholesale: 'wholesale (every invariant re-checked)',
};

/**
 * docs/reference.md, generated from the op registry (`npm run gen:reference`; a test fails when
 * the page is stale): per op, what it models, who performs it, what it may change, its errnos in
 * check order under each version, and the version rules it depends on.
 */
export function opReference(): string {
  const versions = Object.values(VERSIONS);
  const out = [
    '# Op reference',
    '',
    'Generated from the op registry (`src/reducer/registry.ts`, each op defined once in its area\'s',
    '`ops.ts`) by `npm run gen:reference`; do not edit by hand. Every task op fails with `ESRCH` when',
    'its caller is no live task (SPEC 1.4); a failed op changes nothing but what "allocates" says.',
    '',
    `| op | by | models | may change | errnos: ${versions.map((v) => `\`${v.name}\``).join(' / ')} | version rules |`,
    '|---|---|---|---|---|---|',
  ];
  for (const d of OPS.values()) {
    const per = versions.map((v) => errnosUnder(d, v).join(', ') || '—');
    const errnos = per.every((e) => e === per[0]) ? (per[0] as string) : per.join(' / ');
    const change = EFFECT[d.effect] + (d.exits ? '; runs exit processing' : '') + (d.allocates ? '; allocates pids (a failure may move `last`)' : '');
    const injected = d.injected.length ? `; injected: ${d.injected.join(', ')}` : '';
    const rules = d.rules.map((r) => `\`${r}\``).join(', ') || '—';
    out.push(`| \`${d.name}\` | ${d.env ? 'environment' : 'task'} | ${d.models.replace(/\|/g, '\\|')} | ${change} | ${errnos}${injected} | ${rules} |`);
  }
  return out.join('\n') + '\n';
}
