import { isPidNsInit } from '../kernel/pidns.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { viewToPid } from '../vpid/view.js';

/**
 * Why `fuzz --against-kernel` must not generate `ev` in state `s`, though the recorder's plan
 * accepts it (the plan sees the events, not which pids are threads or namespace inits), or null.
 * Each is an event after which the recorder's sandbox cannot go on (docs/recording.md):
 * - an `exec` by a thread other than its leader: `de_thread` gives the thread its leader's pid,
 *   which the executor's slots cannot follow (it stops the recording);
 * - an `exit_thread` by a namespace init's leader while other threads live: the sandbox does not
 *   settle around the zombie leader and its unreaped children;
 * - a `setpgid` whose target is a namespace init: in another member's process group, that init
 *   never finishes exiting on 6.18 (`zap_pid_ns_processes` waits for ever).
 */
export function kernelHazard(s: KernelState, ev: Event): string | null {
  if (ev.op !== 'exec' && ev.op !== 'exit_thread' && ev.op !== 'setpgid') return null;
  const caller = s.tasks.get(ev.by);
  if (!caller) return null;
  if (ev.op === 'exec') return caller.tgid !== caller.pid ? 'exec by a thread other than its leader' : null;
  if (ev.op === 'exit_thread') {
    return caller.tgid === caller.pid && caller.threads.length > 0 && isPidNsInit(s, caller) ? "exit_thread of a namespace init's leader before its other threads" : null;
  }
  const target = ev.pid === 0 ? caller : s.tasks.get(viewToPid(s, caller, ev.pid) ?? -1);
  return target && isPidNsInit(s, target) ? 'setpgid of a pid namespace init' : null;
}
