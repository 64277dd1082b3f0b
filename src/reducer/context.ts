import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import type { Outcome } from './outcome.js';
import type { Recorder } from './record.js';

/** What a handler works with while one event is applied. */
export interface Ctx {
  s: KernelState;
  v: SemanticVersion;
  /** Subsystem callbacks run by this event, when config.traceCallbacks (reference: Config); else null. */
  calls: string[] | null;
  /** cgroups (`hierarchy:path`) that became releasable during this event, in order (reference: mkdir). */
  released: string[];
  /** Where the model reports what the event changes (`NO_RECORD` unless a checker listens). */
  record: Recorder;
  /**
   * The thread that makes a task op's call (`current`), when it is not the handler's `caller`:
   * the handler's caller is always its thread group's leader, the process (src/kernel/threads.ts).
   */
  thread?: Task;
}

export type Op = Event['op'];
/** Operations no task performs: the event schema gives them no `by` (reference: Events). `ENV_OPS` lists them (src/reducer/registry.ts). */
export type EnvOp = Exclude<Event, { by: number }>['op'];
export type TaskOp = Exclude<Op, EnvOp>;
export type EventOf<K extends Op> = Extract<Event, { op: K }>;

/** A handler for an operation a task performs; `caller` is live and runnable. */
export type TaskHandler<K extends TaskOp> = (ctx: Ctx, ev: EventOf<K>, caller: Task) => Outcome;
/** A handler for an environment event. */
export type EnvHandler<K extends EnvOp> = (ctx: Ctx, ev: EventOf<K>) => Outcome;

/** A slice of the dispatch table: each area of the model exports one for the ops it owns. */
export type Handlers<K extends Op> = {
  [P in K]: P extends TaskOp ? TaskHandler<P> : P extends EnvOp ? EnvHandler<P> : never;
};
