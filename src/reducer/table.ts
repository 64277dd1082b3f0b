import type { Handlers, Op } from './context.js';
import { OPS } from './registry.js';

/** What dispatch needs for one op: its handler, and whether it is an environment op (no caller). */
export interface Dispatch {
  env: boolean;
  handler: Handlers<Op>[Op];
}

/** The registry's handlers as a map, looked up once per event (an op named by a trace is just a key). */
export const DISPATCH: ReadonlyMap<string, Dispatch> = new Map([...OPS.values()].map((d): [Op, Dispatch] => [d.name, { env: d.env, handler: d.handler }]));
