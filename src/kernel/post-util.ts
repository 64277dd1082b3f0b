import type { Outcome } from '../reducer/outcome.js';
import type { Postcondition } from '../reducer/postcondition.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';

/** Helpers the postconditions of every area share (issue 12): outcomes as text, the caller before. */
export const show = (x: unknown): string => JSON.stringify(x ?? null);
export const retOf = (o: Outcome): unknown => ('ret' in o ? o.ret : undefined);
export const isRet = (o: Outcome): o is Extract<Outcome, { ret: unknown }> => 'ret' in o;
export const errOf = (o: Outcome): string | undefined => ('err' in o ? o.err : undefined);

/**
 * The live, runnable caller of a task op, or undefined (the dispatcher answers ESRCH or blocks; no
 * handler ran). A thread calls as its process: the caller is its group leader (reference: threads).
 */
export function runnableCaller(s: KernelState, by: number): Task | undefined {
  const current = s.tasks.get(by);
  if (current && current.tgid === current.pid && current.leaderExited !== null) return undefined;
  const t = current && current.tgid !== current.pid ? s.tasks.get(current.tgid) : current;
  return t && t.state === 'running' ? t : undefined;
}

/** A postcondition with a typed event (the registry holds them as `Postcondition`). */
export const post = <E extends Event, P>(p: Postcondition<E, P>): Postcondition<E> => p as unknown as Postcondition<E>;
