import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayFile } from '../../src/replay/replay.js';
import { type SemanticVersion, VERSIONS } from '../../src/semantics/versions.js';
import { loadTrace } from '../../src/trace/load.js';

/**
 * The version oracle that does not read the versions table (issue 12 item 2): the hand-written
 * traces' `expect`s say what each version does. Every field of every row of the table that
 * differs between the versions (a rule, found generically, so renaming one needs no change here) is
 * set to another row's value, every trace of that version is replayed, and at least one must
 * diverge or violate an invariant: a table row that says the wrong thing cannot go unnoticed.
 */
const root = join(import.meta.dirname, '..', '..');

function traceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? traceFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

const TRACES = traceFiles(join(root, 'traces')).map((path) => ({ path, semantics: loadTrace(path).header.semantics ?? 'cgroups-2009' }));

type Row = Record<string, unknown>;
const rows = Object.values(VERSIONS) as unknown as Row[];
const isPlain = (x: unknown): x is Row => typeof x === 'object' && x !== null && !Array.isArray(x);
/** The version's own name and its one-line summary are what the row is called, not a rule. */
const NOT_RULES = new Set(['name', 'summary']);
/**
 * The rules docs/versions.md lists as visible in the state only (no outcome of any trace can show
 * them: css_sets are bookkeeping; the four plugins cannot fill 8 slots): a mutation of one of them
 * must change the final state of a trace of that version instead.
 */
const doc = readFileSync(join(root, 'docs', 'versions.md'), 'utf8');
const STATE_ONLY = new Set([...doc.slice(doc.indexOf('## Differences visible in the state only')).matchAll(/^\| [^|]+ \| `([\w.]+)` \|/gm)].map((m) => m[1]!));

/** Every leaf path of a row (into plain objects such as `defaults`), as key lists. */
function leaves(x: Row, prefix: string[] = []): string[][] {
  return Object.keys(x).flatMap((k) => (NOT_RULES.has(k) && prefix.length === 0 ? [] : isPlain(x[k]) ? leaves(x[k], [...prefix, k]) : [[...prefix, k]]));
}
const get = (x: Row, path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (o as Row)[k], x);
function set(x: Row, path: readonly string[], value: unknown): void {
  const parent = get(x, path.slice(0, -1)) as Row;
  parent[path[path.length - 1]!] = value;
}

interface Mutation {
  row: SemanticVersion;
  path: string[];
  value: unknown;
}

/** Each row's fields, each set to every value another row has there that differs from its own. */
const MUTATIONS: Mutation[] = rows.flatMap((row) =>
  leaves(row).flatMap((path) => {
    const own = JSON.stringify(get(row, path));
    const others = [...new Set(rows.filter((o) => o !== row).map((o) => JSON.stringify(get(o, path))))].filter((v) => v !== own);
    return others.map((v) => ({ row: row as unknown as SemanticVersion, path, value: JSON.parse(v) as unknown }));
  }),
);

/**
 * A row's value that no trace of that version can tell from another's, with the reason. In 2006
 * `update_cpumask`/`update_nodemask` refuse an empty result themselves (ENOSPC) and `can_attach`
 * refuses an empty cpuset, so a cpuset with tasks never becomes empty there and
 * `validate_change`'s 2009 rule would have nothing to refuse.
 */
const INDISTINGUISHABLE = new Set([
  'containers-2006.emptyWithTasks',
  // 2006 has no cgroup.procs at all (releaseAgentFile), so whether it is writable shows nowhere.
  'containers-2006.procsWritable',
  // NR_CPUS bounds only the per-file (kernfs) write limit; 2006's crude limit never reads it.
  'containers-2006.nrCpus',
  // 2006 mounts no hierarchy but its one `container`: every mount is EINVAL before any name is read.
  'containers-2006.unknownSubsys',
  // The 2006 write paths parse lists and attach through seed 001's own code (2.6.18
  // bitmap_parselist, attach_task), which never reads these two 6.x rules.
  'containers-2006.listSyntax',
  'containers-2006.zombieAttach',
  // linux-6 parses pids (kstrtoint) and lists (strstrip + 6.x bitmap_parselist) in its own
  // paths (src/cgroup/attach-pid.ts, cpulist-regions.ts), which read neither older rule.
  'linux-6.tasksParseErrno',
  'linux-6.stripStrings',
]);

/**
 * traces/kernel holds live-kernel recordings: what the kernel said, including the modelling limits
 * docs/versions.md lists (test/record pins those). Such a trace notices a mutation when its
 * divergences and violations change, not merely when it has some.
 */
const KERNEL = join(root, 'traces', 'kernel');
const signature = (r: ReturnType<typeof replayFile>): string => JSON.stringify([r.divergences.map((d) => [d.index, d.actual]), r.violations.map((v) => [v.index, v.invariant])]);
const baseline = new Map<string, string>();

let undo: (() => void) | null = null;
afterEach(() => {
  undo?.();
  undo = null;
});

/**
 * The traces of the row's version that notice the mutation: a divergence or a violation, or for a
 * state-only rule another final state (`hashes`: the state hashes with the table as it is).
 */
function noticing(m: Mutation, hashes: ReadonlyMap<string, string> | null): string[] {
  const row = m.row as unknown as Row;
  const saved = get(row, m.path);
  set(row, m.path, m.value);
  undo = () => set(row, m.path, saved);
  const found: string[] = [];
  for (const t of TRACES.filter((t) => t.semantics === m.row.name)) {
    try {
      const r = replayFile(t.path);
      const differs = t.path.startsWith(KERNEL) ? signature(r) !== baseline.get(t.path) : r.divergences.length > 0 || r.violations.length > 0;
      if (differs || (hashes && hashes.get(t.path) !== r.stateHash)) found.push(t.path);
    } catch {
      found.push(t.path); // the mutated rule breaks the model outright: noticed too
    }
  }
  return found;
}

describe('version oracle: every rule of the versions table is pinned by hand-written traces (issue 12 item 2)', () => {
  it('there are rules to mutate in every row', () => {
    for (const row of rows) expect(MUTATIONS.filter((m) => m.row === (row as unknown)).length).toBeGreaterThan(5);
  });

  const hashes = new Map<string, string>();
  it('no trace diverges with the table as it is', () => {
    for (const t of TRACES) {
      const r = replayFile(t.path);
      if (t.path.startsWith(KERNEL)) baseline.set(t.path, signature(r));
      else expect([t.path, r.divergences.length, r.violations.length]).toEqual([t.path, 0, 0]);
      hashes.set(t.path, r.stateHash);
    }
  });

  it('the state-only list of docs/versions.md names fields of the table', () => {
    expect(STATE_ONLY.size).toBeGreaterThan(0);
    for (const f of STATE_ONLY) expect(MUTATIONS.some((m) => m.path.join('.') === f), f).toBe(true);
  });

  for (const m of MUTATIONS.filter((x) => !INDISTINGUISHABLE.has(`${x.row.name}.${x.path.join('.')}`))) {
    const field = m.path.join('.');
    const stateOnly = STATE_ONLY.has(field);
    it(`${m.row.name}.${field} = ${JSON.stringify(m.value)} is noticed by a ${m.row.name} trace${stateOnly ? ' (its final state: a state-only rule)' : ''}`, () => {
      expect(noticing(m, stateOnly ? hashes : null).length).toBeGreaterThan(0);
    });
  }
});
