import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SUBSYSTEMS } from '../cgroup/subsystems/index.js';
import type { ConfigOverrides, RecordedKernel } from '../trace/schema-types.js';
import { RecordRefusal } from './refusal.js';

/** The semantic version a recording names in its header: the live kernel's own rules (src/semantics/linux-6.ts). */
export const RECORDED_SEMANTICS = 'linux-6' as const;

/** The kernel's RESERVED_PIDS (kernel/pid.c): where pid allocation wraps to. */
const RESERVED_PIDS = 300;

/** What `kreplay record` needs to know about the machine before it runs anything. */
export interface Machine {
  kernel: RecordedKernel;
  /** The mount point of the cgroup v1 hierarchy that holds cpuset. */
  cpusetDir: string;
  /** Whether that hierarchy was mounted with `noprefix` (files `cpus` instead of `cpuset.cpus`). */
  noprefix: boolean;
  /**
   * The model's config for this machine, without possibleMems, and with the host's pid_max where
   * the sandbox's own pid namespace may have another (the executor measures both).
   */
  config: ConfigOverrides;
}

/** The executor binary `npm run build` compiles (executor/build.mjs). */
export const executorPath = (): string => fileURLToPath(new URL('../../executor/build/kreplay-exec', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');

/** A kernel cpu/node list ("0-1,3") as numbers. */
export function parseList(text: string): number[] {
  const out: number[] = [];
  for (const item of text.trim().split(',').filter(Boolean)) {
    const [a, b] = item.split('-').map(Number) as [number, number | undefined];
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
const unescapeMount = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The cgroup v1 mount that carries cpuset, from /proc/self/mountinfo (never a hard-coded path). */
export function findCpusetMount(mountinfo: string): { dir: string; noprefix: boolean } | null {
  for (const line of mountinfo.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const [fstype, , superOpts] = post.split(' ');
    const opts = (superOpts ?? '').split(',');
    if (fstype === 'cgroup' && opts.includes('cpuset')) {
      return { dir: unescapeMount(pre.split(' ')[4] ?? ''), noprefix: opts.includes('noprefix') };
    }
  }
  return null;
}

/** The count n of a list that must be exactly 0..n-1 for the model (its cpus/mems config). */
function contiguous(list: number[], what: string): number {
  if (list.length === 0 || list.some((x, i) => x !== i)) {
    throw new RecordRefusal(`the online ${what} (${list.join(',')}) are not 0..n-1, which the model's config cannot describe`);
  }
  return list.length;
}

/**
 * The level of the sandbox's pid namespace: one below the recorder's own, whose level is the
 * number of entries of its NSpid in /proc/self/status less one (0 on a machine's initial namespace).
 */
function sandboxPidNsLevel(): number {
  const line = /^NSpid:\s*(.*)$/m.exec(read('/proc/self/status'))?.[1] ?? '';
  return Math.max(1, line.trim().split(/\s+/).length);
}

/** Refuses, with one line, where nothing can be recorded at all: not Linux, or not root. */
export function checkPrivileges(): void {
  if (process.platform !== 'linux') throw new RecordRefusal(`recording needs Linux (this is ${process.platform})`);
  if (process.geteuid?.() !== 0) throw new RecordRefusal('recording needs root (it creates a pid namespace and cpuset cgroups)');
}

/**
 * Reads what the recorder needs about the running kernel and refuses, with one line, where it
 * cannot record: not Linux, not root, no executor, no cgroup v1 cpuset hierarchy.
 */
export function probeMachine(): Machine {
  checkPrivileges();
  if (!existsSync(executorPath())) {
    throw new RecordRefusal('the executor is not built (executor/build/kreplay-exec): npm run build needs a C compiler (cc, gcc or clang)');
  }
  const mount = findCpusetMount(read('/proc/self/mountinfo'));
  if (!mount) throw new RecordRefusal('no cgroup v1 hierarchy with the cpuset controller is mounted');
  const onlineCpus = read('/sys/devices/system/cpu/online').trim();
  const possible = parseList(read('/sys/devices/system/cpu/possible'));
  const onlineMems = existsSync('/sys/devices/system/node/online') ? read('/sys/devices/system/node/online').trim() : '0';
  const nrCpuIds = Math.max(...possible) + 1;
  const builtins = read('/proc/cgroups')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[3] === '1' && SUBSYSTEMS.has(f[0] ?? ''))
    .map((f) => f[0] as string);
  return {
    kernel: { release: release(), nrCpuIds, onlineCpus, onlineMems },
    cpusetDir: mount.dir,
    noprefix: mount.noprefix,
    config: {
      cpus: contiguous(parseList(onlineCpus), 'cpus'),
      mems: contiguous(parseList(onlineMems), 'memory nodes'),
      possibleCpus: nrCpuIds,
      pidMax: Number(read('/proc/sys/kernel/pid_max').trim()),
      reservedPids: RESERVED_PIDS,
      pidVirt: 'none',
      builtinSubsystems: builtins,
      rootPidNsLevel: sandboxPidNsLevel(),
    },
  };
}
