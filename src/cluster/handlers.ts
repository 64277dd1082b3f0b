import type { Handlers } from '../reducer/context.js';
import { sysMigrate } from './migrate.js';
import { sysNodeDown, sysNodeUp } from './nodes.js';

/** The cluster's slice of the dispatch table (SPEC 6, seed 002). */
export const CLUSTER_HANDLERS: Handlers<'node_down' | 'node_up' | 'migrate'> = {
  node_down: sysNodeDown,
  node_up: sysNodeUp,
  migrate: sysMigrate,
};
