import { CGROUP_HANDLERS } from '../cgroup/handlers.js';
import { CLUSTER_HANDLERS } from '../cluster/handlers.js';
import { PROCESS_HANDLERS } from '../kernel/handlers.js';
import { VPS_HANDLERS } from '../vpid/handlers.js';
import { ENV_OPS, type Handlers, type Op } from './context.js';

/** The one dispatch table from `op` to handler. The type makes a missing or extra op a compile error. */
export const HANDLERS: Handlers<Op> = {
  ...PROCESS_HANDLERS,
  ...CLUSTER_HANDLERS,
  ...CGROUP_HANDLERS,
  ...VPS_HANDLERS,
};

/** What dispatch needs for one op: its handler, and whether it is an environment op (no caller). */
export interface Dispatch {
  env: boolean;
  handler: Handlers<Op>[Op];
}

/** `HANDLERS` as a map, looked up once per event (an op named by a trace is just a key). */
export const DISPATCH: ReadonlyMap<string, Dispatch> = new Map(
  (Object.keys(HANDLERS) as Op[]).map((op) => [op, { env: (ENV_OPS as readonly string[]).includes(op), handler: HANDLERS[op] }]),
);
