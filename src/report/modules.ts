import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BadInputError } from '../errors.js';

/**
 * The model for the report page, without a bundler: the built ES modules (dist/) the page needs,
 * each as a `data:` URL in an import map, under a bare name (`kreplay/replay/kernel.js`), since a
 * relative import cannot be resolved inside a `data:` module. The page then imports the model
 * exactly as Node does, from a file opened from disk, with no server and no network.
 */

/** What the page imports (src/report/assets/page.js): boot, step, clone, canonical state, diff, view, snapshots. */
export const PAGE_ENTRIES = ['replay/kernel.js', 'state/canonical.js', 'diff/state-diff.js', 'diff/areas.js', 'diff/value.js', 'show/view.js', 'report/snapshot.js'] as const;

/**
 * Node built-ins the model's modules import but the page never calls: canonical.ts hashes the
 * state text with node:crypto; the page shows states, it does not hash them.
 */
const STUBS: Readonly<Record<string, string>> = {
  'node:crypto': 'export function createHash() { throw new Error("the report page does not hash states"); }',
};

/** `import ... from './x.js'`, `export ... from '../y.js'`, `import './z.js'` as tsc emits them. */
const IMPORT = /(\bfrom\s*|\bimport\s*)(['"])([^'"]+)\2/g;

const dataUrl = (js: string): string => 'data:text/javascript;base64,' + Buffer.from(js, 'utf8').toString('base64');

/** The built dist/ folder (this file is src/report/modules.ts or dist/report/modules.js). */
export const distDir = (): string => fileURLToPath(new URL('../../dist/', import.meta.url));

/** Resolves `spec` imported from module `from` (both relative to dist/), or null for a bare name. */
function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/**
 * The import map `{"imports": {"kreplay/<path>": "data:..."}}` of every module reachable from
 * PAGE_ENTRIES. A bare import other than the stubs is an error: the page could not load it.
 */
export function pageImportMap(dist = distDir()): { imports: Record<string, string> } {
  const imports: Record<string, string> = {};
  const pending: string[] = [...PAGE_ENTRIES];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const mod = pending.pop() as string;
    if (seen.has(mod)) continue;
    seen.add(mod);
    let text: string;
    try {
      text = readFileSync(dist + mod, 'utf8');
    } catch {
      throw new BadInputError(dist + mod, 'missing: the report needs the built model (npm run build)');
    }
    text = text.replace(/^\/\/# sourceMappingURL=.*$/m, '').replace(IMPORT, (_m, kw: string, q: string, spec: string) => {
      const target = resolveSpec(mod, spec);
      if (target === null) {
        if (!(spec in STUBS)) throw new Error(`${mod} imports ${spec}, which the report page cannot load`);
        return `${kw}${q}${spec}${q}`;
      }
      pending.push(target);
      return `${kw}${q}kreplay/${target}${q}`;
    });
    // (?<![\w/.-]): a module path such as kernel/process.post.js names no global.
    const global = /(?<![\w/.-])(?:Buffer\.(?!byteLength\b)\w+|process\.\w+|require\()/.exec(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''));
    if (global) throw new Error(`${mod} uses ${global[0]}, which the report page does not provide (it shims Buffer.byteLength only)`);
    imports[`kreplay/${mod}`] = dataUrl(text);
  }
  for (const [name, js] of Object.entries(STUBS)) imports[name] = dataUrl(js);
  return { imports };
}
