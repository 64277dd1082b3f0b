import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importSpecifiers } from './imports.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** The model: it reports what it changes through its own `Recorder` and never knows it is checked. */
const MODEL = ['kernel/', 'cgroup/', 'vpid/', 'cluster/', 'state/'];
/** What the model must not import (modules of src/, by path prefix) and the packages it must not use. */
const FORBIDDEN_MODULES = ['reducer/touched', 'replay/', 'invariants/', 'fuzz/'];
const FORBIDDEN_PACKAGES = ['fast-check'];

/** Every import of a model file that breaks the rules, as `file -> import`. */
function forbiddenImports(graph: ReturnType<typeof importGraph>): string[] {
  const out: string[] = [];
  for (const [file, { modules, packages }] of graph) {
    if (!MODEL.some((m) => file.startsWith(m))) continue;
    for (const m of modules) if (FORBIDDEN_MODULES.some((f) => m.startsWith(f))) out.push(`${file} -> ${m}`);
    for (const p of packages) if (FORBIDDEN_PACKAGES.includes(p)) out.push(`${file} -> ${p}`);
  }
  return out;
}

/**
 * Issue 11 item 2 (GUIDE "The model does not know it is checked ... No import cycles"): src/ has
 * no import cycle, type-only imports included, and nothing under the model's folders imports the
 * checker (replay, invariants, the scoped checker's bookkeeping), the fuzzer or fast-check.
 */
describe('import rules of src/ (issue 11)', () => {
  const graph = importGraph(SRC);

  it('the scanner finds every kind of import, and none in comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {\n  c,\n  type D,\n} from "./c.js";',
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = await import('./h.js');",
      "// import { x } from './commented.js';",
      "/* export { y } from './also-commented.js'; */",
      "const s = 'a/* not a comment */';",
      "import fc from 'fast-check';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b.js', './a.js', './c.js', './e.js', './f.js', './g.js', './h.js', 'fast-check'].sort());
  });

  it('finds a cycle, and only a cycle', () => {
    const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([k, v]) => [k, { modules: v }]));
    expect(importCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(importCycles(g({ a: ['a'] }))).toEqual([['a']]);
    expect(importCycles(g({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('scans the whole of src/, and every relative import names a file of src/', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.has('kernel/exit.ts')).toBe(true);
    const unresolved = [...graph].flatMap(([file, { modules }]) => modules.filter((m) => m.startsWith('unresolved:')).map((m) => `${file} -> ${m}`));
    expect(unresolved).toEqual([]);
  });

  it('src/ has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('the model (src/kernel, src/cgroup, src/vpid, src/cluster, src/state) imports no checker, fuzzer or fast-check', () => {
    expect(forbiddenImports(graph)).toEqual([]);
  });

  it('the rule sees a forbidden import', () => {
    const g = new Map([['kernel/x.ts', { modules: ['replay/kernel.ts', 'state/task.ts'], packages: ['fast-check'] }]]);
    expect(forbiddenImports(g)).toEqual(['kernel/x.ts -> replay/kernel.ts', 'kernel/x.ts -> fast-check']);
  });
});
