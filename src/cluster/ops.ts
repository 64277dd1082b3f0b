import { defineOp } from '../reducer/op.js';
import { MIGRATE_POSTCONDITIONS, NODE_DOWN_POSTCONDITIONS, NODE_UP_POSTCONDITIONS } from './cluster.post.js';
import type { Event } from '../trace/schema-types.js';
import { badNode, byOf, caller, callerTask, downNodes, type Gen, nodeArg, targetPid, upNodes } from '../workload/gen.js';
import { pickOr, view, zombieTasks } from '../workload/pick.js';
import { sysMigrate } from './migrate.js';
import { sysNodeDown, sysNodeUp } from './nodes.js';

/** The cluster's ops (reference: migrate, seed 002), each defined once (src/reducer/op.ts). */

/**
 * Where the version has no cluster (linux-6) a node event cannot happen (it is bad input there):
 * its generators make a `migrate` instead, which that version answers with ENOSYS.
 */
const noCluster = (g: Gen): Event => ({ op: 'migrate', by: byOf(caller(g)), pid: 0, node: 0 });

export const migrateOp = defineOp({
  name: 'migrate',
  env: false,
  handler: sysMigrate,
  post: MIGRATE_POSTCONDITIONS,
  models: 'seed 002 process migration (OpenSSI migrate): only the execution node changes; ENOSYS without a cluster (linux-6)',
  returns: "0",
  args: { pid: "the task to move, 0 for the caller", node: "the node it runs on from now" },
  effect: 'scoped',
  rules: ['cluster'],
  errnos: ['ESRCH', { errno: 'ENOSYS', if: { cluster: false } }, 'EINVAL', 'EPERM'],
  reasons: [{ reason: 'no-cluster', if: { cluster: false } }, { reason: 'no-such-task', if: { cluster: true } }, { reason: 'migrate-zombie', if: { cluster: true } }, { reason: 'node-not-up', if: { cluster: true } }, { reason: 'migrate-init', if: { cluster: true } }],
  gen: [{ weight: 3, make: (g) => { const t = caller(g); const me = callerTask(g, t); const sel = g.next();
    // a wrong target: global init, or a zombie (migrate-zombie) when there is one
    const zombie = zombieTasks(g.s).find((x) => x.vps === me.vps || me.vps === 0);
    const pid = g.bad && sel % 3 === 0 ? (zombie && sel % 2 ? view(g.s, me, zombie.pid) : 1) : targetPid(g, me, (x) => x.pid !== 1 && x.state !== 'zombie');
    return { op: 'migrate', by: byOf(t), pid, node: nodeArg(g, sel >> 2) }; } }],
});

export const nodeDownOp = defineOp({
  name: 'node_down',
  env: true,
  handler: sysNodeDown,
  post: NODE_DOWN_POSTCONDITIONS,
  models: 'seed 002 node failure: every task executing there dies with full exit processing',
  returns: "0",
  args: { node: "the node that fails; every live task on it dies as by SIGKILL" },
  effect: 'wholesale',
  exits: true,
  rules: ['cluster'],
  errnos: ['EINVAL'],
  reasons: ['node-unknown', 'node-zero', 'node-already'],
  gen: [{ weight: 2, make: (g) => (g.v.cluster ? { op: 'node_down', node: g.bad ? badNode(g) : pickOr(upNodes(g.s).filter((n) => n !== 0), g.c.a, 1) } : noCluster(g)) }],
});

export const nodeUpOp = defineOp({
  name: 'node_up',
  env: true,
  handler: sysNodeUp,
  post: NODE_UP_POSTCONDITIONS,
  models: 'seed 002 node (re)join',
  returns: "0",
  args: { node: "the node that comes back" },
  effect: 'wholesale',
  rules: ['cluster'],
  errnos: ['EINVAL'],
  reasons: ['node-unknown', 'node-already'],
  gen: [{ weight: 2, make: (g) => (g.v.cluster ? { op: 'node_up', node: g.bad ? pickOr(upNodes(g.s), g.c.a, 0) : pickOr(downNodes(g.s), g.c.a, g.s.nodesUp.length) } : noCluster(g)) }],
});
