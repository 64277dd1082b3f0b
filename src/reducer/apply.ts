import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Ctx, EnvOp, EventOf, TaskOp } from './context.js';
import { blocked, err, isOk, type Outcome } from './outcome.js';
import { DISPATCH } from './table.js';

/**
 * Applies one event to `s` in place and returns its outcome (SPEC 1.4). Resolves the caller
 * first: no live task → ESRCH, a stopped caller → blocked. Handlers never throw for a kernel
 * error; anything thrown here is an internal error (exit 3).
 */
export function applyEvent(s: KernelState, v: SemanticVersion, ev: Event): Outcome {
  const ctx: Ctx = { s, v, calls: s.config.traceCallbacks ? [] : null, released: [] };
  const outcome = dispatch(ctx, ev);
  return decorate(ctx, outcome);
}

function dispatch(ctx: Ctx, ev: Event): Outcome {
  const d = DISPATCH.get(ev.op);
  if (d === undefined) throw new Error(`internal: no handler for op ${JSON.stringify(ev.op)}`);
  if (d.env) return (d.handler as (c: Ctx, e: EventOf<EnvOp>) => Outcome)(ctx, ev as EventOf<EnvOp>);
  const taskEv = ev as EventOf<TaskOp>;
  const caller = ctx.s.tasks.get(taskEv.by);
  if (!caller || caller.state === 'zombie') return err('ESRCH');
  if (caller.state === 'stopped') return blocked();
  return (d.handler as (c: Ctx, e: EventOf<TaskOp>, t: typeof caller) => Outcome)(ctx, taskEv, caller);
}

/** Adds the side information of SPEC 1.4 (`released`, `calls`) to the outcome. */
function decorate(ctx: Ctx, outcome: Outcome): Outcome {
  if (isOk(outcome) && ctx.released.length > 0) outcome = { ...outcome, released: ctx.released };
  if (ctx.calls && ctx.calls.length > 0 && !('blocked' in outcome)) outcome = { ...outcome, calls: ctx.calls };
  return outcome;
}
