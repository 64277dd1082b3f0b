import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { poseStdout } from '../helpers/stdout.js';

/** Runs the CLI in this process (so a bug planted here is in the model it runs); stdout a pipe. */
export async function runCli(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const restoreStdout = poseStdout(false);
  try {
    const status = await main(args);
    return { status, out, err };
  } finally {
    restoreStdout();
    o.mockRestore();
    e.mockRestore();
    process.exitCode = 0;
  }
}
