import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../errors.js';
import { isTracePath } from '../trace/load.js';

/**
 * Trace files under `dir`, recursively, in code-point order of their paths (locale-independent).
 * Symbolic links are followed, as if their targets were there: a linked trace is a trace, a linked
 * directory is searched (each directory once, in name order: a link back up the tree is no loop). A dangling link with a
 * trace name is kept, so reading it reports the error against that trace instead of skipping it.
 */
function tracesUnder(dir: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  // A stack, not recursion: a directory tree of any depth is walked.
  const todo = [dir];
  while (todo.length > 0) {
    const d = todo.pop() as string;
    const real = realpathSync(d);
    if (seen.has(real)) continue;
    seen.add(real);
    // Pushed in reverse name order, so directories are entered in name order (which path of a
    // directory reached twice is listed does not depend on the stack).
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      const p = join(d, entry.name);
      let kind: 'dir' | 'file' | 'other' = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(p);
          kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
        } catch {
          kind = 'file';
        }
      }
      if (kind === 'dir') todo.push(p);
      else if (kind === 'file' && isTracePath(entry.name)) out.push(p);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Expands command-line trace arguments: files as given, directories to the `*.json`, `*.ndjson`
 * and `*.jsonl` files under them. A path that cannot be stat'ed is kept, so reading it reports
 * the error against that trace.
 */
export function expandTraceArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    let isDir = false;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      return [arg];
    }
    if (!isDir) return [arg];
    const found = tracesUnder(arg);
    if (found.length === 0) throw new BadInputError(arg, 'no traces (*.json, *.ndjson, *.jsonl) in this directory');
    return found;
  });
}
