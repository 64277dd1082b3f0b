import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { withStdinAsync } from '../../src/trace/input.js';
import { poseStdout } from '../helpers/stdout.js';

export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'kreplay');

export interface Ran {
  status: number;
  out: string;
  err: string;
}

/** `kreplay ...args` in this process, stdout and stderr captured; `stdin` stands for standard input. */
export async function cli(args: string[], stdin?: string | Buffer): Promise<Ran> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const restore = poseStdout(false);
  try {
    const status = stdin === undefined ? await main(args) : await withStdinAsync(stdin, () => main(args));
    return { status, out, err };
  } finally {
    restore();
    o.mockRestore();
    e.mockRestore();
    process.exitCode = 0;
  }
}

/**
 * The built CLI in a child process, with its peak memory (KiB) from /usr/bin/time. Asynchronous,
 * so the test worker's event loop stays free while a slow child runs.
 */
export function spawnCli(args: string[], opts: { input?: string | Buffer; shell?: string } = {}): Promise<Ran & { rssKiB: number }> {
  const cmd = opts.shell ?? `node ${JSON.stringify(bin)} ${args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}`;
  const child = spawn('/bin/sh', ['-c', `/usr/bin/time -f 'RSS %M' ${cmd}`], { cwd: root });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const m = /RSS (\d+)\s*$/.exec(err);
      resolve({ status: code ?? -1, out, err: err.replace(/RSS \d+\s*$/, '').replace(/Command exited with non-zero status \d+\n/, ''), rssKiB: m ? Number(m[1]) : -1 });
    }),
  );
}

/** The built CLI started in the background. */
export function startCli(args: string[]): { done: Promise<Ran>; pid: number; kill: (sig: NodeJS.Signals) => void; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const done = new Promise<Ran>((resolve) => child.on('close', (code, signal) => resolve({ status: code ?? (signal === 'SIGINT' ? 130 : -1), out, err })));
  return { done, pid: child.pid as number, kill: (sig) => child.kill(sig), output: () => out };
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'kreplay-hostile-'));
export const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
export const oneLine = (err: string): boolean => err.trim() !== '' && err.trim().split('\n').length === 1 && !/\n\s+at /.test(err);

/** An NDJSON trace of `n` getpid events (each one line), with an optional bad line after them. */
export function ndjsonTrace(n: number, bad?: string): string {
  const lines = ['{"kreplay":1,"semantics":"cgroups-2009"}'];
  for (let i = 0; i < n; i++) lines.push('{"op":"getpid","by":1}');
  if (bad !== undefined) lines.push(bad);
  return lines.join('\n') + '\n';
}
