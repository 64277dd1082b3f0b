// What the recorder's live-kernel tests need, and why a machine cannot run them.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executorPath, findCpusetMount } from '../../src/record/machine.js';

/** Why the live-kernel tests cannot run here, or null when they can. */
export function liveSkipReason(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.geteuid?.() !== 0) return 'not root';
  if (!existsSync(executorPath())) return 'the executor is not built (no C compiler at npm run build)';
  if (!findCpusetMount(readFileSync('/proc/self/mountinfo', 'utf8'))) return 'no cgroup v1 cpuset hierarchy mounted';
  return null;
}

/** The cpuset hierarchy's mount point (only when liveSkipReason() is null). */
export const cpusetDir = (): string => (findCpusetMount(readFileSync('/proc/self/mountinfo', 'utf8')) as { dir: string }).dir;

/** The sandboxes `kreplay-<owner>-*` of executor `owner` under the cpuset hierarchy. */
export const sandboxesOf = (owner: number): string[] => readdirSync(cpusetDir()).filter((n) => n.startsWith(`kreplay-${owner}-`));

/** Every pid listed in the tasks files of a cgroup tree. */
export function tasksUnder(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of readFileSync(join(d, 'tasks'), 'utf8').split('\n')) if (line) out.push(Number(line));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {
      // removed meanwhile
    }
  };
  walk(dir);
  return out;
}

/** The children of a process (all its threads'). */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

export const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/\) Z /.test(safeRead(`/proc/${pid}/stat`));
const safeRead = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** Polls `cond` every 20 ms until it holds or `ms` pass; returns whether it held. */
export async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/**
 * Runs `fn` while no other test of this checkout that holds the lock starts an executor: every
 * executor removes the sandboxes of dead executors when it starts, so a test that leaves a stale
 * sandbox on purpose (record.test.ts) and a campaign that starts many (test/fuzz/against-kernel.test.ts)
 * must not overlap. The lock is a directory holding its owner's pid; a dead owner's lock is taken over.
 */
export async function holdLiveLock(): Promise<() => void> {
  const dir = join(tmpdir(), `kreplay-live-test-${process.getuid?.() ?? 0}.lock`);
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(safeRead(join(dir, 'pid')) || 0);
      if (owner > 0 && owner !== process.pid && !existsSync(`/proc/${owner}`)) rmSync(dir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
}
