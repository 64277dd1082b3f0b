import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Ctx, EnvOp, EventOf, TaskOp } from './context.js';
import { blocked, err, isErr, isOk, type Outcome, withCalls } from './outcome.js';
import { NO_RECORD, type Recorder } from './record.js';
import { DISPATCH } from './table.js';

/**
 * Applies one event to `s` in place and returns its outcome (reference: Outcomes). Resolves the caller
 * first: no live task → ESRCH, a stopped caller → blocked. Handlers never throw for a kernel
 * error; anything thrown here is an internal error (exit 3). The model reports what the event
 * changes to `record` (a checker's; nobody listens by default).
 */
export function applyEvent(s: KernelState, v: SemanticVersion, ev: Event, record: Recorder = NO_RECORD): Outcome {
  const ctx = spare ?? { s, v, calls: null, released: [], record };
  spare = null;
  ctx.s = s;
  ctx.v = v;
  ctx.record = record;
  ctx.calls = s.config.traceCallbacks ? [] : null;
  // A non-empty `released` went out with the last outcome; an empty one can serve again.
  if (ctx.released.length > 0) ctx.released = [];
  ctx.thread = undefined;
  const outcome = decorate(ctx, dispatch(ctx, ev));
  spare = ctx;
  return outcome;
}

/**
 * The context of the last event, reused by the next one: a handler never keeps its `Ctx` past
 * the event, and most events would otherwise allocate one. Taken while an event is applied (so
 * a nested or failed application builds its own).
 */
let spare: Ctx | null = null;

function dispatch(ctx: Ctx, ev: Event): Outcome {
  const d = DISPATCH.get(ev.op);
  if (d === undefined) throw new Error(`internal: no handler for op ${JSON.stringify(ev.op)}`);
  if (d.env) return (d.handler as (c: Ctx, e: EventOf<EnvOp>) => Outcome)(ctx, ev as EventOf<EnvOp>);
  const taskEv = ev as EventOf<TaskOp>;
  const current = ctx.s.tasks.get(taskEv.by);
  if (!current) return err('ESRCH', 'caller-missing', taskEv.by);
  // A thread calls as its process: the handler's caller is the group leader (src/kernel/threads.ts).
  const caller = current.tgid === current.pid ? current : ctx.s.tasks.get(current.tgid);
  if (!caller) throw new Error(`internal: thread ${current.pid} has no leader ${current.tgid}`);
  if (caller.state === 'zombie' || (current === caller && caller.leaderExited)) return err('ESRCH', 'caller-zombie', taskEv.by);
  if (caller.state === 'stopped') return blocked('caller-stopped', taskEv.by);
  if (current !== caller) ctx.thread = current;
  return (d.handler as (c: Ctx, e: EventOf<TaskOp>, t: typeof caller) => Outcome)(ctx, taskEv, caller);
}

/** Adds the side information of reference: Outcomes (`released`, `calls`) to the outcome. */
function decorate(ctx: Ctx, outcome: Outcome): Outcome {
  if (ctx.released.length > 0 && isOk(outcome)) outcome = { ...outcome, released: ctx.released };
  if (ctx.calls && ctx.calls.length > 0 && !('blocked' in outcome)) outcome = isErr(outcome) ? withCalls(outcome, ctx.calls) : { ...outcome, calls: ctx.calls };
  return outcome;
}
