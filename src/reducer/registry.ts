import { attachOp, cpuDownOp, cpuUpOp, injectOp, loadSubsysOp, memDownOp, memUpOp, mkdirOp, mountOp, readOp, registerSubsysOp, rmdirOp, umountOp, unloadSubsysOp, writeOp } from '../cgroup/ops.js';
import { migrateOp, nodeDownOp, nodeUpOp } from '../cluster/ops.js';
import { execOp, exitOp, forkOp, getpgidOp, getpidOp, getppidOp, getsidOp, killOp, ptraceOp, setpgidOp, setsidOp, signalOp, waitOp } from '../kernel/ops.js';
import { procReadOp } from '../kernel/proc-ops.js';
import { setnsOp, unshareOp } from '../kernel/pidns-ops.js';
import { prctlOp } from '../kernel/prctl.js';
import { schedGetaffinityOp, schedSetaffinityOp } from '../kernel/affinity-ops.js';
import { cloneThreadOp, exitThreadOp, gettidOp } from '../kernel/thread-ops.js';
import { vpsCheckpointOp, vpsCreateOp, vpsEnterOp, vpsRestoreOp } from '../vpid/ops.js';
import type { EnvOp, Op } from './context.js';
import { type OpDef, type OpDefOf, registerOps } from './op.js';

/**
 * Every op, defined once in its area (src/reducer/op.ts). The order is the fuzz generator's
 * (weights accumulate in it, src/workload/table.ts), so a new op goes at the end: the campaigns of
 * a seed then keep generating what they did.
 */
const DEFS = [
  forkOp, mkdirOp, killOp, waitOp, attachOp, writeOp, readOp, exitOp, signalOp, setpgidOp, setsidOp, getpidOp, getppidOp,
  getpgidOp, getsidOp, execOp, ptraceOp, migrateOp, nodeDownOp, nodeUpOp, rmdirOp, mountOp, umountOp, registerSubsysOp,
  loadSubsysOp, unloadSubsysOp, cpuDownOp, cpuUpOp, memDownOp, memUpOp, vpsCreateOp, vpsEnterOp, vpsCheckpointOp, vpsRestoreOp,
  injectOp, procReadOp, unshareOp, setnsOp, prctlOp, cloneThreadOp, gettidOp, exitThreadOp, schedSetaffinityOp, schedGetaffinityOp,
] as const;

/** An op of the event schema with no definition above is a compile error here, naming it. */
type Missing = Exclude<Op, (typeof DEFS)[number]['name']>;
const complete: [Missing] extends [never] ? true : { missing: Missing } = true;
void complete;

/** The registry: op name → its definition, in registration order (registering one twice throws). */
export const OPS: ReadonlyMap<Op, OpDef> = registerOps(DEFS);

/** The definition of `op`. */
export const opDef = <K extends Op>(op: K): { [P in K]: OpDefOf<P> }[K] => OPS.get(op) as unknown as { [P in K]: OpDefOf<P> }[K];

/** Operations no task performs (reference: Events). */
export const ENV_OPS: readonly EnvOp[] = [...OPS.values()].filter((d) => d.env).map((d) => d.name as EnvOp);

/** The ops whose definitions satisfy `pred`, as a set. */
export const opsWhere = (pred: (d: OpDef) => boolean): ReadonlySet<Op> => new Set([...OPS.values()].filter(pred).map((d) => d.name));
