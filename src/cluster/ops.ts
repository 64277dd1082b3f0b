import { defineOp } from '../reducer/op.js';
import { badNode, byOf, caller, callerTask, downNodes, nodeArg, targetPid, upNodes } from '../workload/gen.js';
import { pickOr } from '../workload/pick.js';
import { sysMigrate } from './migrate.js';
import { sysNodeDown, sysNodeUp } from './nodes.js';

/** The cluster's ops (reference: migrate, seed 002), each defined once (src/reducer/op.ts). */

export const migrateOp = defineOp({
  name: 'migrate',
  env: false,
  handler: sysMigrate,
  models: 'seed 002 process migration (OpenSSI migrate): only the execution node changes',
  returns: "0",
  args: { pid: "the task to move, 0 for the caller", node: "the node it runs on from now" },
  effect: 'scoped',
  errnos: ['ESRCH', 'EINVAL', 'EPERM'],
  gen: [{ weight: 3, make: (g) => { const t = caller(g); const me = callerTask(g, t); const sel = g.next();
    const pid = g.bad && sel % 3 === 0 ? 1 : targetPid(g, me, (x) => x.pid !== 1 && x.state !== 'zombie');
    return { op: 'migrate', by: byOf(t), pid, node: nodeArg(g, sel >> 2) }; } }],
});

export const nodeDownOp = defineOp({
  name: 'node_down',
  env: true,
  handler: sysNodeDown,
  models: 'seed 002 node failure: every task executing there dies with full exit processing',
  returns: "0",
  args: { node: "the node that fails; every live task on it dies as by SIGKILL" },
  effect: 'wholesale',
  exits: true,
  errnos: ['EINVAL'],
  gen: [{ weight: 2, make: (g) => ({ op: 'node_down', node: g.bad ? badNode(g) : pickOr(upNodes(g.s).filter((n) => n !== 0), g.c.a, 1) }) }],
});

export const nodeUpOp = defineOp({
  name: 'node_up',
  env: true,
  handler: sysNodeUp,
  models: 'seed 002 node (re)join',
  returns: "0",
  args: { node: "the node that comes back" },
  effect: 'wholesale',
  errnos: ['EINVAL'],
  gen: [{ weight: 2, make: (g) => ({ op: 'node_up', node: g.bad ? pickOr(upNodes(g.s), g.c.a, 0) : pickOr(downNodes(g.s), g.c.a, g.s.nodesUp.length) }) }],
});
