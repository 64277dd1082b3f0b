import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A small scanner for the import rules of issue 11 (docs/contributing.md): every module of src/
 * and what it imports, found from its `import`/`export ... from` statements and dynamic
 * `import('...')` calls, type-only imports included (a cycle of types is a cycle of design too).
 */

/** `text` with its comments blanked (strings kept: the specifiers are strings). */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '\\') {
      // Only a regex literal has a backslash in code: keep the escaped character out of the scan.
      out += text.slice(i, i + 2);
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STATEMENT = /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/g;
const BARE_IMPORT = /\bimport\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** The module specifiers `text` (a TypeScript module) imports, in order of appearance per kind. */
export function importSpecifiers(text: string): string[] {
  const code = stripComments(text);
  const out: string[] = [];
  for (const re of [STATEMENT, BARE_IMPORT, DYNAMIC]) for (const m of code.matchAll(re)) out.push(m[2] as string);
  return out;
}

/** Every `.ts` file under `dir` (declaration files excluded), as absolute paths, sorted. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** A module and what it imports: other modules of the tree (paths relative to the root) and packages. */
export interface ModuleImports {
  modules: string[];
  packages: string[];
}

/** The file a relative specifier names (`./x.js` is `./x.ts`, a folder its `index.ts`), or null. */
function resolveModule(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const p of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base]) if (existsSync(p) && p.endsWith('.ts')) return p;
  return null;
}

/** The import graph of the `.ts` files under `root`, keyed by path relative to `root` ('/'-separated). */
export function importGraph(root: string): Map<string, ModuleImports> {
  const graph = new Map<string, ModuleImports>();
  const rel = (p: string): string => relative(root, p).split('\\').join('/');
  for (const file of tsFiles(root)) {
    const entry: ModuleImports = { modules: [], packages: [] };
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolveModule(file, spec);
        entry.modules.push(target === null ? `unresolved:${spec}` : rel(target));
      } else {
        entry.packages.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
      }
    }
    graph.set(rel(file), entry);
  }
  return graph;
}

/**
 * The import cycles of `graph`: its strongly connected components with more than one module (or
 * a module importing itself), each as its sorted module list (Tarjan's algorithm).
 */
export function importCycles(graph: ReadonlyMap<string, { modules: readonly string[] }>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.modules ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || graph.get(v)?.modules.includes(v)) cycles.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}
