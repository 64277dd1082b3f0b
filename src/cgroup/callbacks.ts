import type { Ctx } from '../reducer/context.js';
import { type Errno, type Failure, failure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { takeInjection } from './inject.js';
import type { SubsysEnv } from './subsys.js';
import type { Cgroup, Hierarchy, SubsysState } from './types.js';
import { pluginOf } from './plugins.js';
import { subsysEnv } from './world.js';

/** Callback names as `calls` shows them (reference: Config): the kernel's member names. */
export type CallbackName = 'create' | 'destroy' | 'can_attach' | 'attach' | 'post_attach' | 'populate' | 'fork' | 'exit' | 'bind';

/** Records `subsys.callback` (or `subsys.callback!ERRNO`) when the trace asked for callbacks. */
export function traceCall(ctx: Ctx, subsys: string, cb: CallbackName, e: Errno | null = null): void {
  ctx.calls?.push(`${subsys}.${cb}${e ? `!${e}` : ''}`);
}

export function envIn(ctx: Ctx, name: string, h: Hierarchy): SubsysEnv {
  return subsysEnv(ctx.s.cg, ctx.s.config, ctx.v, name, h);
}

/** A plugin's refusal as a Failure: a bare errno gets the generic `subsys-refused` reason. */
function refusal(e: Errno | Failure | null, name: string, cb: CallbackName, cg: Cgroup): Failure | null {
  return typeof e === 'string' ? failure(e, 'subsys-refused', name, cb, cg.path) : e;
}

/**
 * One subsystem's `create` on `cg`, an injected `create` fault first (reference: inject). A subsystem
 * without `create` succeeds silently with no state (seed 001: "null ... successful no-ops").
 */
export function invokeCreate(ctx: Ctx, name: string, h: Hierarchy, cg: Cgroup): Result<SubsysState> {
  const plugin = pluginOf(name);
  if (!plugin.create) return success(undefined);
  const injected = takeInjection(ctx, 'create', name);
  const r = injected ? failure(injected, 'injected', 'create', name) : plugin.create(envIn(ctx, name, h), cg);
  traceCall(ctx, name, 'create', r.ok ? null : r.err);
  return r;
}

/** One subsystem's `can_attach`, an injected `can_attach` fault first (reference: inject). */
export function invokeCanAttach(ctx: Ctx, name: string, h: Hierarchy, cg: Cgroup, task: Task): Failure | null {
  const plugin = pluginOf(name);
  if (!plugin.canAttach) return null;
  const injected = takeInjection(ctx, 'can_attach', name);
  const e = injected ? failure(injected, 'injected', 'can_attach', name) : refusal(plugin.canAttach(envIn(ctx, name, h), cg, task), name, 'can_attach', cg);
  traceCall(ctx, name, 'can_attach', e ? e.err : null);
  return e;
}

export function invokeDestroy(ctx: Ctx, name: string, h: Hierarchy, cg: Cgroup): void {
  const plugin = pluginOf(name);
  if (!plugin.destroy) return;
  plugin.destroy(envIn(ctx, name, h), cg);
  traceCall(ctx, name, 'destroy');
}

/**
 * Unwinds the creates of a failed mkdir (reference: mkdir): 2006 destroys in reverse order (seed 001
 * `container_create`: `for (s--; s >= 0; s--)`), 2009 in call order (2.6.33 `err_destroy`).
 */
export function unwindCreates(ctx: Ctx, h: Hierarchy, cg: Cgroup, created: readonly string[]): void {
  const order = ctx.v.createUnwind === 'reverse' ? [...created].reverse() : created;
  for (const name of order) invokeDestroy(ctx, name, h, cg);
}

/** `populate` is traced where the kernel calls it (mkdir, mount, register); files are described on demand. */
export function tracePopulate(ctx: Ctx, names: readonly string[]): void {
  for (const name of names) if (pluginOf(name).populate) traceCall(ctx, name, 'populate');
}

export function invokeBind(ctx: Ctx, name: string, h: Hierarchy, root: Cgroup): void {
  const plugin = pluginOf(name);
  if (!plugin.bind) return;
  plugin.bind(envIn(ctx, name, h), root);
  traceCall(ctx, name, 'bind');
}

/** `attach` then, where the version has it, `post_attach` (seed 001 attach_task), for every subsystem. */
export function invokeAttach(ctx: Ctx, names: readonly string[], h: Hierarchy, cg: Cgroup, old: Cgroup, task: Task): void {
  for (const name of names) {
    const plugin = pluginOf(name);
    if (!plugin.attach) continue;
    plugin.attach(envIn(ctx, name, h), cg, old, task);
    traceCall(ctx, name, 'attach');
  }
  if (!ctx.v.postAttach) return;
  for (const name of names) {
    const plugin = pluginOf(name);
    if (!plugin.postAttach) continue;
    plugin.postAttach(envIn(ctx, name, h), cg, old, task);
    traceCall(ctx, name, 'post_attach');
  }
}
