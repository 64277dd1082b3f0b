import { readFileSync } from 'node:fs';
import { INVARIANTS } from '../invariants/index.js';
import { defaultAction, isUncatchable, NSIG } from '../kernel/signo.js';
import type { ReasonDef } from '../reducer/reason-def.js';
import { CALLER_REASONS } from '../reducer/reasons.js';
import { CGROUP_REASONS } from '../cgroup/reasons.js';
import { CLUSTER_REASONS } from '../cluster/reasons.js';
import { KERNEL_REASONS } from '../kernel/reasons.js';
import { VPID_REASONS } from '../vpid/reasons.js';
import { PIDNS_REASONS } from '../kernel/pidns-reasons.js';
import { VERSIONS } from '../semantics/versions.js';
import { opTable } from '../reducer/reference.js';
import { allOpDocs, opMarkdown, typeOf } from './ops.js';
import { CLI, DETERMINISM, INTRO, OUTCOMES, SIMPLIFICATIONS, TRACES } from './prose.js';

/**
 * docs/reference.md (issue 15): the hand-written prose of ./prose.ts around what the registry,
 * the schemas, the versions, the reason tables and the invariants define. `npm run gen:reference`
 * writes it; test/doc/reference.test.ts fails when the file is stale.
 */

type Schema = { [key: string]: unknown };
const readSchema = (name: string): Schema => JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as Schema;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: unknown): string => `\`${typeof s === 'string' ? s : JSON.stringify(s)}\``;

function configSection(): string {
  const header = readSchema('header');
  const defs = header.$defs as Schema;
  const props = ((defs.config as Schema).properties ?? {}) as Schema;
  const versions = Object.values(VERSIONS);
  const out = ['## Config', '', 'The version\'s defaults, which a trace\'s `config` overrides key by key:', ''];
  out.push(`| key | type | ${versions.map((v) => `default in ${code(v.name)}`).join(' | ')} |`, `|---|---|${versions.map(() => '---|').join('')}`);
  for (const [key, p] of Object.entries(props)) {
    const s = p as Schema;
    const range = typeof s.minimum === 'number' ? ` ${s.minimum}..${String(s.maximum)}` : '';
    out.push(`| ${code(key)} | ${cell(typeOf(s, defs))}${range} | ${versions.map((v) => code((v.defaults as unknown as Record<string, unknown>)[key])).join(' | ')} |`);
  }
  out.push(
    '',
    '`cpus` and `mems` are the installed cpus and memory nodes, all online at boot; `possibleCpus` / `possibleMems` the size of a cpu / node mask (a list naming a number at or above it is `ERANGE`); `nodes` the cluster nodes, all up; `pidMax` and `reservedPids` bound the pid allocator; `pidVirt` turns virtual pids (VPSs) on or off; `builtinSubsystems` are registered at boot in id order (the other shipped subsystems can be registered or loaded); `subsysSlots` is the number of subsystem ids; `initReaps` makes global init reap its zombie children at once; `rootPidNsLevel` is the level of the root pid namespace (0 on a machine, 1 in the sandbox of a recording; 32 is the deepest); `traceCallbacks` adds `calls` to outcomes.',
  );
  return out.join('\n');
}

function versionsSection(): string {
  const versions = Object.values(VERSIONS);
  const out = ['## Semantic versions', '', 'A semantic version is a named set of rules and defaults; the same trace can be replayed under each and the results compared (`kreplay diff --semantics-a A --semantics-b B`). See [versions.md](versions.md) for why they differ.', ''];
  out.push('| version | what it models |', '|---|---|', ...versions.map((v) => `| ${code(v.name)} | ${cell(v.summary)} |`), '');
  const rules = Object.keys(versions[0] as object).filter((k) => !['name', 'summary', 'defaults'].includes(k));
  out.push(`| rule | ${versions.map((v) => code(v.name)).join(' | ')} |`, `|---|${versions.map(() => '---|').join('')}`);
  for (const r of rules) out.push(`| ${code(r)} | ${versions.map((v) => code((v as unknown as Record<string, unknown>)[r])).join(' | ')} |`);
  return out.join('\n');
}

function opsSection(): string {
  const docs = allOpDocs();
  const out = ['## Operations', '', 'Every op, in the order of the op registry. Arguments come from `schemas/event.schema.json`; the errors of each op are listed per semantic version in the order they are checked.', ''];
  out.push(opTable(), '', 'A failed op changes nothing but what "allocates pids" says (see [Outcomes](#outcomes)).', '');
  for (const d of docs) out.push(opMarkdown(d), '');
  return out.join('\n').trimEnd();
}

function reasonsSection(): string {
  const areas: [string, Record<string, ReasonDef>][] = [
    ['the caller and injected faults', CALLER_REASONS],
    ['processes, signals, sessions, ptrace', KERNEL_REASONS],
    ['the cluster', CLUSTER_REASONS],
    ['cgroups and subsystems', CGROUP_REASONS],
    ['virtual pids and VPSs', VPID_REASONS],
    ['pid namespaces', PIDNS_REASONS],
  ];
  const out = ['## Reason codes', '', 'The reasons an `err` or `blocked` outcome carries (see [Reasons](#reasons)), with the sentence each reads as; `{name}` stands for an argument.'];
  for (const [title, table] of areas) {
    out.push('', `### Reasons: ${title}`, '', '| code | explains | arguments | sentence |', '|---|---|---|---|');
    for (const [c, d] of Object.entries(table)) {
      out.push(`| ${code(c)} | ${d.outcome} | ${d.args.map((a) => code(a)).join(', ')} | ${cell(d.text(...d.args.map((a) => `{${a}}`)))} |`);
    }
  }
  return out.join('\n');
}

/** x86 signal names (the model numbers signals as x86 Linux does). */
const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1',
  11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP',
  20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH',
  29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
};

function signalsSection(): string {
  const out = [
    '## Signals',
    '',
    `Signals are numbered 1..${NSIG} as on x86 Linux; \`kill\` with signal 0 only checks that its targets exist, any other number is \`EINVAL\`. The default action of each:`,
    '',
    '| number | name | default action | can be caught or ignored |',
    '|---|---|---|---|',
  ];
  for (let sig = 1; sig <= 31; sig++) out.push(`| ${sig} | ${SIGNAL_NAMES[sig]} | ${defaultAction(sig)} | ${isUncatchable(sig) ? 'no' : 'yes'} |`);
  out.push(`| 32..${NSIG} | real-time | ${defaultAction(32)} | yes |`);
  out.push(
    '',
    'A stopped task: SIGKILL kills it; SIGCONT resumes it (reportable to `wait` with `continued`) and then delivers the fatal signals that arrived while it was stopped; other signals wait. SIGCONT to a running task discards its pending stop signals. `exec` resets caught signals to the default.',
  );
  return out.join('\n');
}

function stateSection(): string {
  const schema = readSchema('state');
  const defs = schema.$defs as Schema;
  const table = (props: Schema, required: Set<string>): string[] => [
    '| field | type | meaning |',
    '|---|---|---|',
    ...Object.entries(props).map(([k, p]) => {
      const s = p as Schema;
      const ref = typeof s.$ref === 'string' ? s.$ref.replace('#/$defs/', '') : (s.items as Schema | undefined)?.$ref;
      const refName = typeof ref === 'string' ? ref.replace('#/$defs/', '') : '';
      const isObj = refName !== '' && (defs[refName] as Schema | undefined)?.type === 'object';
      const type = isObj ? `${refName}${s.type === 'array' ? '[]' : ''}` : typeOf(s, defs);
      return `| ${code(k)}${required.has(k) ? '' : ' (optional)'} | ${cell(type)} | ${cell((s.description as string | undefined) ?? ((defs[refName] as Schema | undefined)?.description as string | undefined) ?? '')} |`;
    }),
  ];
  const out = [DETERMINISM, '', '### State', '', (schema.description as string | undefined) ?? '', ''];
  out.push(...table(schema.properties as Schema, new Set(schema.required as string[])));
  for (const [name, d] of Object.entries(defs)) {
    const s = d as Schema;
    if (s.type !== 'object' || !s.properties || name === 'config') continue;
    out.push('', `#### \`${name}\``, '');
    if (typeof s.description === 'string') out.push(s.description, '');
    out.push(...table(s.properties as Schema, new Set((s.required ?? []) as string[])));
  }
  return out.join('\n');
}

function invariantsSection(): string {
  const out = [
    '## Invariants and postconditions',
    '',
    'Invariants hold after every event of every trace; `replay` checks each after every event and reports a violation as `{index, invariant, message}`. A violation is a bug in the model, or a trace that forced an impossible state (for example with `fork`\'s `pid`). `kreplay invariants` lists them.',
    '',
    '| id | holds that |',
    '|---|---|',
    ...INVARIANTS.map((i) => `| ${code(i.id)} | ${cell(i.description)} |`),
  ];
  const posts = allOpDocs().flatMap((d) => d.post.map((p) => ({ op: d.name, ...p })));
  out.push('', 'Postconditions are what an op promises about its outcome and the state after it, checked by replay and fuzz around every event of that op:', '');
  if (posts.length === 0) out.push('(none defined yet)');
  else out.push('| op | id | promises |', '|---|---|---|', ...posts.map((p) => `| ${code(p.op)} | ${code(p.id)} | ${cell(p.doc)} |`));
  out.push(
    '',
    'Fuzzing (`kreplay fuzz`) checks properties over whole runs too: determinism (two replays give equal states; replay from any snapshot equals replay from the start), atomicity (every `err` and `blocked` outcome leaves the state unchanged, the exceptions of [Outcomes](#outcomes) aside), the round trip (a `--log` replays without divergence), location transparency, checkpoint/restore transparency (a restored VPS is indistinguishable from inside), and version agreement (versions agree on events whose ops they give the same rules).',
  );
  return out.join('\n');
}

/** The whole of docs/reference.md. */
export function referenceMarkdown(): string {
  const toc = ['Traces', 'Config', 'Semantic versions', 'Outcomes', 'Operations', 'Reason codes', 'Signals', 'Determinism and the state', 'Invariants and postconditions', 'Modelling simplifications', 'Command line'];
  const contents = ['## Contents', '', ...toc.map((t) => `- [${t}](#${t.toLowerCase().replace(/ /g, '-')})`)].join('\n');
  const sections = [INTRO, contents, TRACES, configSection(), versionsSection(), OUTCOMES, opsSection(), reasonsSection(), signalsSection(), stateSection(), invariantsSection(), SIMPLIFICATIONS, CLI];
  return sections.join('\n\n') + '\n';
}
