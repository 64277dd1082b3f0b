import type { TaskHandler } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import { nodeUp } from '../kernel/fork.js';
import { findTaskByVpid } from '../kernel/sessions.js';
import type { Task } from '../state/task.js';

/**
 * `migrate {by, pid, node}` (seed 002: a process behaves the same wherever it runs): ESRCH for an
 * invisible task or a zombie (pid 0 is the caller), EINVAL for an unknown or down node, EPERM for
 * global init (it stays on node 0). Only the execution node changes. ENOSYS where the version
 * has no cluster (`linux-6`).
 */
export const sysMigrate: TaskHandler<'migrate'> = (ctx, ev, caller) => {
  if (!ctx.v.cluster) return err('ENOSYS', 'no-cluster');
  const t = findTaskByVpid(ctx.s, caller, ev.pid);
  if (!t) return err('ESRCH', 'no-such-task', ev.pid);
  if (t.state === 'zombie') return err('ESRCH', 'migrate-zombie', ev.pid);
  if (!nodeUp(ctx.s, ev.node)) return err('EINVAL', 'node-not-up', ev.node);
  if (t.pid === 1) return err('EPERM', 'migrate-init');
  // Nothing may fail below here.
  // The whole process moves: every thread runs where its process runs.
  for (const x of [t, ...t.threads.map((tid) => ctx.s.tasks.get(tid) as Task)]) {
    ctx.record.task(x);
    x.node = ev.node;
  }
  return ok(0);
};
