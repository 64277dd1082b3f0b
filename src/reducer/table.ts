import { CGROUP_HANDLERS } from '../cgroup/handlers.js';
import { CLUSTER_HANDLERS } from '../cluster/handlers.js';
import { PROCESS_HANDLERS } from '../kernel/handlers.js';
import { VPS_HANDLERS } from '../vpid/handlers.js';
import type { Handlers, Op } from './context.js';

/** The one dispatch table from `op` to handler. The type makes a missing or extra op a compile error. */
export const HANDLERS: Handlers<Op> = {
  ...PROCESS_HANDLERS,
  ...CLUSTER_HANDLERS,
  ...CGROUP_HANDLERS,
  ...VPS_HANDLERS,
};
