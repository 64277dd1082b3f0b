import type { Ctx } from '../reducer/context.js';
import type { ExitStatus, Task } from '../state/task.js';

/** `do_exit` for `task` with `status` (src/kernel/exit.ts). */
export type DoExit = (ctx: Ctx, task: Task, status: ExitStatus) => void;

/**
 * How signal delivery reaches exit processing. The two are mutually recursive, as in 2.6.18
 * (`do_exit` → `exit_notify` → `kill_pg` SIGHUP/SIGCONT to an orphaned pgrp → a fatal pending
 * signal → `do_exit`): exit.ts imports signal delivery and binds its `doExit` here once, when it
 * is loaded (the dispatch table loads both), so that signal.ts need not import exit.ts and the
 * modules stay free of import cycles. Bound once; no state lives here.
 */
export const fatal: { doExit: DoExit } = {
  doExit: () => {
    throw new Error('internal: a fatal signal before exit processing was loaded (src/kernel/exit.ts)');
  },
};
