import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Op } from '../reducer/context.js';
import { errnosUnder, type OpDef } from '../reducer/op.js';
import type { Errno } from '../reducer/outcome.js';
import { OPS } from '../reducer/registry.js';
import { VERSIONS } from '../semantics/versions.js';

/**
 * What docs/reference.md and `kreplay ops` say about each op, derived from the op registry
 * (src/reducer/registry.ts), the event schema (schemas/event.schema.json) and the bundled traces
 * (the first event of the op with an `expect`, as its example). Nothing here is kept by hand.
 */

type Schema = { [key: string]: unknown };
const ROOT = new URL('../../', import.meta.url);
const readJson = (path: string): Schema => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as Schema;

export interface ArgDoc {
  name: string;
  type: string;
  required: boolean;
  doc: string;
}

export interface ErrnoRow {
  /** The versions this order applies under. */
  versions: string[];
  errnos: Errno[];
}

export interface ExampleDoc {
  trace: string;
  /** 1-based event index in that trace. */
  index: number;
  event: Schema;
}

export interface OpDoc {
  name: Op;
  /** The schema's one-line description. */
  summary: string;
  /** Environment event: no `by`. */
  env: boolean;
  models: string;
  args: ArgDoc[];
  returns: string;
  /** Errnos in check order, one row per group of versions that agree. */
  errnos: ErrnoRow[];
  /** Errnos only an injected fault causes. */
  injected: Errno[];
  /** The version rules its outcome depends on. */
  rules: string[];
  post: { id: string; doc: string }[];
  example: ExampleDoc | null;
}

/** A property schema as a type: `integer`, `string`, `boolean`, `"a" | "b"`, `string[]`. */
export function typeOf(p: Schema, defs: Schema): string {
  const ref = p.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/$defs/', '');
    const d = defs[name] as Schema | undefined;
    if (name === 'int' || name === 'nat') return 'integer';
    if (name === 'errno') return 'errno name';
    return d ? typeOf(d, defs) : name;
  }
  if (Array.isArray(p.enum)) return p.enum.map((x) => JSON.stringify(x)).join(' | ');
  if (p.const !== undefined) return JSON.stringify(p.const);
  if (p.type === 'array') return `${typeOf((p.items as Schema | undefined) ?? {}, defs)}[]`;
  if (typeof p.type === 'string') return p.type;
  if (Array.isArray(p.anyOf)) return (p.anyOf as Schema[]).map((x) => typeOf(x, defs)).join(' | ');
  return 'any';
}

/** Envelope fields every event may carry; the reference lists them once. */
const ENVELOPE = new Set(['op', 'expect', 'note', 't']);

function eventSchemas(): Map<string, Schema> {
  const schema = readJson('schemas/event.schema.json');
  const defs = schema.$defs as Schema;
  const out = new Map<string, Schema>();
  for (const d of Object.values(defs) as Schema[]) {
    const op = ((d.properties as Schema | undefined)?.op as Schema | undefined)?.const;
    if (typeof op === 'string') out.set(op, d);
  }
  out.set('$defs', defs);
  return out;
}

function argsOf(d: OpDef, s: Schema, defs: Schema): ArgDoc[] {
  const props = (s.properties ?? {}) as Schema;
  const required = new Set((s.required ?? []) as string[]);
  const notes = d.args as Readonly<Record<string, string>>;
  return Object.entries(props)
    .filter(([name]) => !ENVELOPE.has(name))
    .map(([name, p]) => ({ name, type: typeOf(p as Schema, defs), required: required.has(name), doc: notes[name] ?? ((p as Schema).description as string | undefined) ?? '' }));
}

function errnoRows(d: OpDef): ErrnoRow[] {
  const rows: ErrnoRow[] = [];
  for (const v of Object.values(VERSIONS)) {
    const errnos = errnosUnder(d, v);
    const same = rows.find((r) => r.errnos.join() === errnos.join());
    if (same) same.versions.push(v.name);
    else rows.push({ versions: [v.name], errnos });
  }
  return rows;
}

function traceFiles(dir: URL): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const u = new URL(n, dir);
    return statSync(u).isDirectory() ? traceFiles(new URL(`${n}/`, dir)) : n.endsWith('.json') ? [u.pathname] : [];
  });
}

let examples: Map<string, ExampleDoc> | null = null;

/** The first event of each op that has an `expect`, over traces/ in path order. */
function bundledExamples(): Map<string, ExampleDoc> {
  if (examples) return examples;
  examples = new Map();
  const root = new URL('traces/', ROOT);
  for (const file of traceFiles(root)) {
    let t: Schema;
    try {
      t = JSON.parse(readFileSync(file, 'utf8')) as Schema;
    } catch {
      continue;
    }
    const events = Array.isArray(t.events) ? (t.events as Schema[]) : [];
    events.forEach((ev, i) => {
      if (typeof ev.op === 'string' && ev.expect !== undefined && !examples!.has(ev.op)) {
        examples!.set(ev.op, { trace: `traces/${file.slice(root.pathname.length)}`, index: i + 1, event: ev });
      }
    });
  }
  return examples;
}

/** Everything the reference says about `op`. */
export function opDoc(op: Op): OpDoc {
  const d = OPS.get(op) as OpDef;
  const schemas = eventSchemas();
  const s = schemas.get(op) ?? {};
  const defs = schemas.get('$defs') as Schema;
  return {
    name: op,
    summary: (s.description as string | undefined) ?? '',
    env: d.env,
    models: d.models,
    args: argsOf(d, s, defs),
    returns: d.returns,
    errnos: errnoRows(d),
    injected: [...d.injected],
    rules: [...d.rules],
    post: d.post.map((p) => ({ id: p.id, doc: p.doc })),
    example: bundledExamples().get(op) ?? null,
  };
}

/** Every op, in registry order. */
export const allOpDocs = (): OpDoc[] => [...OPS.keys()].map(opDoc);

/** Compact JSON of an example event, `note` left out. */
export function exampleJson(e: ExampleDoc): string {
  const { note: _note, ...rest } = e.event;
  return JSON.stringify(rest);
}

/** The op as text for `kreplay ops OP` and as a section of docs/reference.md (Markdown). */
export function opMarkdown(d: OpDoc, level = 3): string {
  const out = [`${'#'.repeat(level)} \`${d.name}\``, '', d.summary, ''];
  out.push(`- Performed by: ${d.env ? 'nobody (an environment event: no `by`)' : 'the task `by` (its global pid)'}`);
  out.push(`- Models: ${d.models}`);
  out.push(`- Returns: ${d.returns}`);
  if (d.rules.length > 0) out.push(`- Depends on the version rules: ${d.rules.map((r) => `\`${r}\``).join(', ')}`);
  out.push('', '| argument | type | required | meaning |', '|---|---|---|---|');
  if (!d.env) out.push('| `by` | integer | yes | the caller\'s global pid |');
  for (const a of d.args) if (a.name !== 'by') out.push(`| \`${a.name}\` | ${a.type.replace(/\|/g, '\\|')} | ${a.required ? 'yes' : 'no'} | ${a.doc.replace(/\|/g, '\\|')} |`);
  out.push('', 'Errors, in the order they are checked (the first that applies is returned):', '');
  for (const r of d.errnos) out.push(`- ${r.versions.map((v) => `\`${v}\``).join(', ')}: ${r.errnos.length ? r.errnos.map((e) => `\`${e}\``).join(' → ') : 'none'}`);
  if (!d.env) out.push('- the first `ESRCH` is the caller check: `by` names no live task (a stopped caller gets `{"blocked": true}` instead); the op may return `ESRCH` later for its own reasons too');
  if (d.injected.length > 0) out.push(`- only through \`inject\`: ${d.injected.map((e) => `\`${e}\``).join(', ')}`);
  if (d.post.length > 0) out.push('', 'Postconditions:', '', ...d.post.map((p) => `- \`${p.id}\`: ${p.doc}`));
  if (d.example) out.push('', `Example (${d.example.trace}, event ${d.example.index}):`, '', '```json', exampleJson(d.example), '```');
  return out.join('\n');
}
