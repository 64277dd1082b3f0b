import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'kreplay');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/kreplay ...args` (dist/ is built by npm test's pretest) from the repository root,
 * stdout a pipe; `CI` set, which would turn picocolors' own colour detection on: output to a pipe
 * must stay plain anyway.
 */
export function kreplay(...args: string[]): Run {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run npm run build (npm test does)');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** stdout parsed as one JSON object per line. */
export const jsonLines = (out: string): Record<string, unknown>[] =>
  out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
