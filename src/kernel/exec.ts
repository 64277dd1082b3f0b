import type { TaskHandler } from '../reducer/context.js';
import { ok } from '../reducer/outcome.js';
import { currentThread } from './thread-group.js';
import { deThread } from './threads.js';

/**
 * `exec {by}` (`do_execve` → `flush_signal_handlers`): handlers are reset to default (ignored
 * signals stay ignored) and the task is marked exec'd, which setpgid's EACCES rule checks. The
 * process's other threads end first (`de_thread`).
 */
export const sysExec: TaskHandler<'exec'> = (ctx, _ev, caller) => {
  // Nothing may fail below here.
  if (caller.threads.length > 0 || ctx.thread) deThread(ctx, caller, currentThread(ctx, caller));
  caller.execd = true;
  // Deleting the entry being visited is safe while iterating a Map: no copy needed.
  for (const [sig, action] of caller.dispositions) if (action === 'catch') caller.dispositions.delete(sig);
  return ok(0);
};
