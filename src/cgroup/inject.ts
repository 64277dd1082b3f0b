import type { Ctx, EnvHandler } from '../reducer/context.js';
import { type Errno, ok } from '../reducer/outcome.js';
import type { InjectPoint } from './types.js';

/** `inject {point, subsys?, err, count?}` (reference: inject): queue a fault; returns 0. */
export const sysInject: EnvHandler<'inject'> = (ctx, ev) => {
  // Nothing may fail below here.
  ctx.s.injections.push({ point: ev.point, subsys: ev.subsys ?? null, err: ev.err, count: ev.count ?? 1 });
  return ok(0);
};

/**
 * Consumes the first queued injection matching a call at `point` (of subsystem `subsys`, for
 * create/can_attach) and returns its errno, or null when none matches. An injection without
 * `subsys` matches every subsystem. The consumption is kept even though the operation then fails
 * (the one atomicity exception injections have, reference: Outcomes).
 */
export function takeInjection(ctx: Ctx, point: InjectPoint, subsys: string | null): Errno | null {
  const queue = ctx.s.injections;
  if (queue.length === 0) return null; // the usual case: every fork and callback asks
  const i = queue.findIndex((inj) => inj.point === point && (inj.subsys === null || inj.subsys === subsys));
  if (i < 0) return null;
  const inj = queue[i]!;
  if (inj.count > 1) queue[i] = { ...inj, count: inj.count - 1 };
  else queue.splice(i, 1);
  return inj.err as Errno;
}
