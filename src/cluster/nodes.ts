import type { EnvHandler } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import { isAlive } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { doExit } from '../kernel/exit.js';
import { SIGKILL } from '../kernel/signo.js';

const knownNode = (s: KernelState, node: number): boolean => Number.isInteger(node) && node >= 0 && node < s.nodesUp.length;

/**
 * `node_down {node}` (seed 002: a node of the single-system-image cluster fails): EINVAL for an
 * unknown node, one already down, or node 0 (it hosts global init). Every live task running there
 * dies as if by SIGKILL — no signal delivery, so no init protection — in ascending pid order with
 * full exit processing (its children are reparented to tasks elsewhere).
 */
export const sysNodeDown: EnvHandler<'node_down'> = (ctx, ev) => {
  const s = ctx.s;
  if (!knownNode(s, ev.node)) return err('EINVAL', 'node-unknown', ev.node, s.nodesUp.length);
  if (ev.node === 0) return err('EINVAL', 'node-zero');
  if (!s.nodesUp[ev.node]) return err('EINVAL', 'node-already', ev.node, 'down');
  // Nothing may fail below here.
  ctx.record.wholesale();
  s.nodesUp[ev.node] = false;
  const victims: number[] = [];
  for (const t of s.tasks.values()) if (t.node === ev.node && isAlive(t)) victims.push(t.pid);
  victims.sort((a, b) => a - b);
  for (const pid of victims) {
    const t = s.tasks.get(pid);
    if (t && t.node === ev.node) doExit(ctx, t, { signaled: SIGKILL });
  }
  return ok(0);
};

/** `node_up {node}`: EINVAL for an unknown node or one already up. */
export const sysNodeUp: EnvHandler<'node_up'> = (ctx, ev) => {
  const s = ctx.s;
  if (!knownNode(s, ev.node)) return err('EINVAL', 'node-unknown', ev.node, s.nodesUp.length);
  if (s.nodesUp[ev.node]) return err('EINVAL', 'node-already', ev.node, 'up');
  // Nothing may fail below here.
  ctx.record.wholesale();
  s.nodesUp[ev.node] = true;
  return ok(0);
};
