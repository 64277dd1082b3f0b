import { kstrtoll } from './kstrtox.js';
import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, errOf, ok, type Outcome, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { isVisible, pidToView, seesAll } from '../vpid/view.js';
import { attachPid } from './attach-pid.js';
import { parseControlU64, parseTasksPid, strstrip } from './numbers.js';
import { resolveCgroup } from './paths.js';
import type { ControlFile, SubsysEnv } from './subsys.js';
import type { Cgroup, Hierarchy } from './types.js';
import { pluginOf } from './plugins.js';
import { subsysEnv } from './world.js';

/** PATH_MAX: 2.6.33's default `max_write_len` of a string file. */
const PATH_MAX = 4096;
/** PAGE_SIZE: 6.x `cgroup_kf_ops.atomic_write_len`, the limit of a file without its own. */
const PAGE_SIZE = 4096;
/** 2.6.33 CGROUP_LOCAL_BUFFER_SIZE: a u64 written in 64 bytes or more → E2BIG (reference: write). */
const U64_BUFFER = 64;

/** `tasks`: the pid written is attached (seed 001 `attach_task`); its own kind, parsed by the core. */
interface TasksFile {
  name: 'tasks' | 'cgroup.procs';
  kind: 'pid';
  read: ControlFile['read'];
}
type AnyFile = ControlFile | TasksFile;

/**
 * The tasks of `cg` that `caller` can see, in its view, ascending in that view, one per line:
 * the tasks of every css_set that links `cg` (2.6.33 `cgroup_iter_start` walks `cg_links`, then
 * each css_set's `tasks`), sorted as `pidlist` is. `tasks` lists threads (tids); `cgroup.procs`
 * (`procs`) lists the tgid of each thread, once (`pidlist_array_load`: `task_tgid_vnr`, then
 * `pidlist_uniq`), so a process is listed as soon as any of its threads is inside. An exiting
 * task is in neither: a zombie, or a group leader whose thread has exited (6.x skips dying tasks).
 */
function readTasks(ctx: Ctx, h: Hierarchy, cg: Cgroup, caller: Task, procs: boolean): string {
  let pids: number[] = [];
  // A host caller sees every task under its global pid (isVisible, pidToView): no conversion per task.
  const host = seesAll(ctx.s, caller);
  for (const cs of ctx.s.cg.cssSets.values()) {
    if (cs.cgroups.get(h.name) !== cg.path) continue;
    for (const pid of cs.tasks) {
      const t = ctx.s.tasks.get(pid) as Task;
      if (t.state === 'zombie' || t.leaderExited !== null) continue;
      const n = procs ? t.tgid : t.pid;
      if (host) pids.push(n);
      else if (isVisible(ctx.s, caller, t)) pids.push(pidToView(ctx.s, caller, n));
    }
  }
  if (procs && pids.length > 1) pids = [...new Set(pids)];
  pids.sort((a, b) => a - b);
  return pids.length === 0 ? '' : `${pids.join('\n')}\n`;
}

/** The `read` of `tasks` and `cgroup.procs`. */
const tasksReader =
  (ctx: Ctx, h: Hierarchy, procs = false): ControlFile['read'] =>
  (_env, c, caller) =>
    readTasks(ctx, h, c, caller, procs);

/** `notify_on_release`: the same file for every cgroup. */
const NOTIFY_ON_RELEASE: AnyFile = {
  name: 'notify_on_release',
  kind: 'u64',
  read: (_env, c) => (c.notifyOnRelease ? '1\n' : '0\n'),
  write: (_ctx, _env, c, n) => {
    c.notifyOnRelease = n !== 0n;
    return success(undefined);
  },
};

/** 6.x `cgroup1_base_files[]` `cgroup.clone_children` (`v.cloneChildrenFile`): a flag, `cgroup_clone_children_write`. */
const CLONE_CHILDREN: AnyFile = {
  name: 'cgroup.clone_children',
  kind: 'u64',
  read: (_env, c) => (c.cloneChildren ? '1\n' : '0\n'),
  write: (_ctx, _env, c, n) => {
    c.cloneChildren = n !== 0n;
    return success(undefined);
  },
};

/** `release_agent` of the hierarchy its env names (the core's env is the cgroup's hierarchy). */
const RELEASE_AGENT: AnyFile = {
  name: 'release_agent',
  kind: 'string',
  // 2.6.33: E2BIG at PATH_MAX; 6.x `cgroup1_base_files[]`: above PATH_MAX - 1. The same 4096 bytes.
  maxWriteLen: (_c, v) => (v.writeSizeLimit === 'kernfs' ? PATH_MAX - 1 : PATH_MAX),
  read: (env) => `${env.hierarchy.releaseAgent}\n`,
  write: (_ctx, env, _c, text) => {
    env.hierarchy.releaseAgent = text;
    return success(undefined);
  },
};

/**
 * The core's own file `name` of `cg`, if it has one (seed 001 `container_populate_dir`; 2.6.33
 * `files[]` and `cft_release_agent`): only the one asked for is made, as most events name one.
 */
function coreFile(ctx: Ctx, h: Hierarchy, cg: Cgroup, name: string): AnyFile | undefined {
  switch (name) {
    case 'tasks':
      return { name, kind: 'pid', read: tasksReader(ctx, h) };
    case 'notify_on_release':
      return NOTIFY_ON_RELEASE;
    case 'cgroup.procs':
      // 6.x `cgroup1_procs_write`: a pid moves its whole thread group (attachPid's `threadgroup`).
      if (!ctx.v.releaseAgentFile) return undefined;
      return ctx.v.procsWritable ? { name, kind: 'pid', read: tasksReader(ctx, h, true) } : { name, kind: 'u64', read: tasksReader(ctx, h, true) };
    case 'cgroup.clone_children':
      return ctx.v.cloneChildrenFile ? CLONE_CHILDREN : undefined;
    case 'release_agent':
      return ctx.v.releaseAgentFile && cg.parent === null ? RELEASE_AGENT : undefined;
    default:
      return undefined;
  }
}

/** The file `name` of `cg` with the env its callbacks run in; subsystem files carry the version's prefix. */
function lookupFile(ctx: Ctx, h: Hierarchy, cg: Cgroup, name: string): { file: AnyFile; env: SubsysEnv } | null {
  const core = coreFile(ctx, h, cg, name);
  if (core) return { file: core, env: subsysEnv(ctx.s.cg, ctx.s.config, ctx.v, '', h) };
  for (const ss of h.subsystems) {
    const env = subsysEnv(ctx.s.cg, ctx.s.config, ctx.v, ss, h);
    const prefix = ctx.v.filePrefix && !h.noprefix ? `${ss}.` : '';
    const file = pluginOf(ss).populate?.(env, cg).find((f) => prefix + f.name === name);
    if (file) return { file, env };
  }
  return null;
}

/**
 * Whether `cg`'s directory holds a control file called `name` (the core's files and every bound
 * subsystem's, with the version's prefix): `mkdir` of that name meets an existing dentry.
 */
export function hasControlFile(ctx: Ctx, h: Hierarchy, cg: Cgroup, name: string): boolean {
  return lookupFile(ctx, h, cg, name) !== null;
}

/**
 * The write-size limit: 2006 the crude `100 + 6 * max(NR_CPUS, MAX_NUMNODES)` of
 * `cpuset_common_file_write`; 2009 per file (`cgroup_write_X64`'s 64-byte buffer, a string
 * file's `max_write_len`): a value must stay below it (E2BIG at or above it).
 */
function writeLimit(ctx: Ctx, file: AnyFile): number {
  const c = ctx.s.config;
  if (ctx.v.writeSizeLimit === 'crude') return 101 + 6 * Math.max(c.possibleCpus, c.possibleMems);
  // 6.x kernfs_fop_write_iter: `len > of->atomic_write_len` → E2BIG, for every cgroup file.
  if (ctx.v.writeSizeLimit === 'kernfs') return 1 + ((file.kind === 'string' ? file.maxWriteLen?.(c, ctx.v) : undefined) ?? PAGE_SIZE);
  if (file.kind !== 'string') return U64_BUFFER;
  return file.maxWriteLen?.(c, ctx.v) ?? PATH_MAX;
}

function writeFile(ctx: Ctx, h: Hierarchy, cg: Cgroup, caller: Task, file: AnyFile, env: SubsysEnv, value: string): Result<void> {
  if (file.kind === 'pid') {
    const pid = parseTasksPid(ctx.v, value);
    return pid.ok ? attachPid(ctx, h, cg, caller, pid.value, file.name === 'cgroup.procs') : pid;
  }
  // A subsystem's file (the core's env has no name): its settings may change. The core's own files
  // (notify_on_release, release_agent) hold nothing an invariant reads.
  if (env.name !== '') ctx.record.settings(h.name);
  if (file.kind === 'u64') {
    const n = parseControlU64(ctx.v, value);
    return n.ok ? (file.write as NonNullable<typeof file.write>)(ctx, env, cg, n.value) : n;
  }
  if (file.kind === 's64') {
    // 6.x `cgroup_file_write` → `kstrtoll` on the unstripped text (only 6.x has such files)
    const n = kstrtoll(value);
    return n.ok ? (file.write as NonNullable<typeof file.write>)(ctx, env, cg, n.value) : n;
  }
  const text = ctx.v.stripStrings ? strstrip(value) : value;
  return (file.write as NonNullable<typeof file.write>)(ctx, env, cg, text);
}

/**
 * `write` (reference: mkdir): unknown cgroup or file → ENOENT; a read-only file → EINVAL; too long →
 * E2BIG; then the file's own parsing and rules. Returns 0, not a byte count. 6.x checks the size
 * first (kernfs, before the file is known to be writable), and `cgroup_file_write` returns 0 for
 * a zero-length write before anything else (`zeroLengthWrite: noop`).
 */
export const sysWrite: TaskHandler<'write'> = (ctx, ev, caller): Outcome => {
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return errOf(found);
  const { h, cg } = found.value;
  const f = lookupFile(ctx, h, cg, ev.file);
  if (!f) return err('ENOENT', 'no-file', ev.file, ev.path);
  const bytes = Buffer.byteLength(ev.value, 'utf8');
  const limit = writeLimit(ctx, f.file);
  if (ctx.v.writeSizeLimit === 'kernfs' && bytes >= limit) return err('E2BIG', 'write-too-long', bytes, limit);
  if (ctx.v.zeroLengthWrite === 'noop' && ev.value === '') return ok(0);
  if (f.file.kind !== 'pid' && !f.file.write) return err('EINVAL', 'read-only-file', ev.file);
  if (bytes >= limit) return err('E2BIG', 'write-too-long', bytes, limit);
  const r = writeFile(ctx, h, cg, caller, f.file, f.env, ev.value);
  return r.ok ? ok(0) : errOf(r);
};

/** `read` (reference: mkdir): the file's text exactly as the kernel prints it. */
export const sysRead: TaskHandler<'read'> = (ctx, ev, caller): Outcome => {
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return errOf(found);
  const f = lookupFile(ctx, found.value.h, found.value.cg, ev.file);
  if (!f) return err('ENOENT', 'no-file', ev.file, ev.path);
  return ok(f.file.read(f.env, found.value.cg, caller));
};
