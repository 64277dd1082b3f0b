import type { Ctx } from '../reducer/context.js';
import type { Errno, Failure, Result } from '../reducer/outcome.js';
import type { Config } from '../semantics/config.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Json } from '../state/json.js';
import type { Task } from '../state/task.js';
import type { Cgroup, CgroupWorld, Hierarchy, SubsysState } from './types.js';

/**
 * What a subsystem callback sees: the cgroup world, the rules in force, its own name (the key of
 * its state in `Cgroup.subsys`) and the hierarchy it is bound to (the dummy root when unbound).
 */
export interface SubsysEnv {
  world: CgroupWorld;
  config: Config;
  v: SemanticVersion;
  name: string;
  hierarchy: Hierarchy;
}

interface FileBase {
  /** Name without the subsystem prefix; the core adds `<subsys>.` where the version wants it. */
  name: string;
  /** The file's text exactly as the kernel prints it, trailing newline included. */
  read(env: SubsysEnv, cg: Cgroup, caller: Task): string;
  /** 2.6.33 / 6.x `cftype.max_write_len` (string files); PATH_MAX (2.6.33) or PAGE_SIZE (6.x) when absent. */
  maxWriteLen?: (config: Config, v: SemanticVersion) => number;
}
/** A `read_u64`/`write_u64` file: the core parses the number per the version (reference: write). */
export interface U64File extends FileBase {
  kind: 'u64';
  write?: (ctx: Ctx, env: SubsysEnv, cg: Cgroup, value: bigint) => Result<void>;
}
/** A `write_string` file: the core hands over the text (stripped in 2009, `strstrip`). */
export interface StringFile extends FileBase {
  kind: 'string';
  write?: (ctx: Ctx, env: SubsysEnv, cg: Cgroup, value: string) => Result<void>;
}
/** A `read_s64`/`write_s64` file (6.x): the core parses the text with `kstrtoll`, unstripped. */
export interface S64File extends FileBase {
  kind: 's64';
  write?: (ctx: Ctx, env: SubsysEnv, cg: Cgroup, value: bigint) => Result<void>;
}
export type ControlFile = U64File | StringFile | S64File;

/** A hotplug event as the cgroup layer reports it to subsystems (after the online set changed). */
export interface HotplugChange {
  resource: 'cpu' | 'mem';
  direction: 'down' | 'up';
  n: number;
}
/** Core services a subsystem may use while reacting to hotplug. */
export interface HotplugOps {
  /** Moves every live task of `from` to `to` (same hierarchy), as `cgroup_transfer_tasks` does. */
  moveTasks(from: Cgroup, to: Cgroup): void;
}

/**
 * A subsystem plugin, mirroring `struct container_subsys` (seed 001) / `struct cgroup_subsys`
 * (2.6.33, seed 003). Absent callbacks are "successful no-ops" (seed 001 Documentation 3.3).
 * The core never looks inside a subsystem's state; a plugin never changes the cgroup tree.
 */
/**
 * What fuzzing reads and writes in a subsystem's files (src/workload/cgroup.ts), so that a new
 * subsystem is fuzzed as soon as it is in SUBSYSTEMS.
 */
export interface FuzzSamples {
  /** Control files (unprefixed) a read or write picks from; a name listed twice is picked twice as often. */
  files: readonly string[];
  /** More files, only under a version whose cgroups have them (e.g. linux-6's cpuset v1 files). */
  filesUnder?(v: SemanticVersion): readonly string[];
  /** A well-formed value for `file` of the cgroup at `path` on `h` (`sel` chooses); undefined: "0" or "1". */
  value?(world: CgroupWorld, h: Hierarchy, path: string, file: string, sel: number): string | undefined;
}

export interface CgroupSubsys {
  name: string;
  /** What fuzzing writes to its files; absent: it has none worth writing. */
  fuzz?: FuzzSamples;
  /** Initial state for `cg` (a new cgroup; `cg.parent === null` for a top cgroup). Must not mutate anything. */
  create?(env: SubsysEnv, cg: Cgroup): Result<SubsysState>;
  destroy?(env: SubsysEnv, cg: Cgroup): void;
  /** null to accept; a refusal is an errno or, with its reason, a Failure (`failure(errno, code, ...)`). */
  canAttach?(env: SubsysEnv, cg: Cgroup, task: Task): Errno | Failure | null;
  attach?(env: SubsysEnv, cg: Cgroup, old: Cgroup, task: Task): void;
  postAttach?(env: SubsysEnv, cg: Cgroup, old: Cgroup, task: Task): void;
  /** The control files this subsystem adds to every cgroup of its hierarchy. */
  populate?(env: SubsysEnv, cg: Cgroup): ControlFile[];
  fork?(env: SubsysEnv, task: Task): void;
  exit?(env: SubsysEnv, task: Task): void;
  bind?(env: SubsysEnv, root: Cgroup): void;
  /** 2.6.33 `parse_cgroupfs_options`: only cpuset may be mounted with `noprefix`. */
  allowNoprefix?: boolean;
  /** Model extension: react to cpu/mem hotplug (the cpuset hotplug notifiers). */
  hotplug?(env: SubsysEnv, change: HotplugChange, ops: HotplugOps): void;
  /**
   * Model extension: fields this subsystem adds to every canonical task (the same keys whether or
   * not it is registered). `cg` is the task's cgroup for this subsystem; null when the subsystem
   * is not registered (then `env.hierarchy` is the dummy root) or the task is a zombie.
   */
  taskFields?(env: SubsysEnv, cg: Cgroup | null, task: Task): { [key: string]: Json };
  /** The state as canonical JSON (reference: Determinism and the state). */
  canonical(state: SubsysState): Json;
}
