import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../errors.js';
import { isTracePath } from '../trace/load.js';

/** Trace files under `dir`, recursively, in code-point order of their paths (locale-independent). */
function tracesUnder(dir: string): string[] {
  const out: string[] = [];
  // A stack, not recursion: a directory tree of any depth is walked.
  const todo = [dir];
  while (todo.length > 0) {
    const d = todo.pop() as string;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) todo.push(p);
      else if (entry.isFile() && isTracePath(entry.name)) out.push(p);
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
