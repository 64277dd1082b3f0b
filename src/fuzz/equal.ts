import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * Structural equality over the model's plain data (Maps, Sets, arrays, objects, primitives).
 * A fast pre-filter: equal raw states have equal canonical states, so only a difference needs
 * the (slower) canonical comparison.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) if (!b.has(k) || !deepEqual(x, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual(ao[k], bo[k])) return false;
  return true;
}

const sameNumbers = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
function sameFlatMap<K, V extends string | number | boolean>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) if (b.get(k) !== x) return false;
  return true;
}

/**
 * Every field of a task, each compared by `sameTask`: a field added to `Task` is a type error
 * here, and test/fuzz/equal.test.ts changes each listed field to prove `sameTask` sees it.
 */
export const TASK_FIELDS: Readonly<Record<keyof Task, true>> = {
  pid: true, parent: true, children: true, pgid: true, sid: true, node: true, state: true, exitStatus: true, execd: true,
  dispositions: true, caught: true, pending: true, stopReport: true, contReport: true, tracer: true, traced: true, vps: true, cssSet: true,
};

/** Two tasks field by field, without the generic walk (tasks are most of a state). */
function sameTask(a: Task, b: Task): boolean {
  return (
    a.pid === b.pid && a.parent === b.parent && a.pgid === b.pgid && a.sid === b.sid && a.node === b.node && a.state === b.state &&
    a.execd === b.execd && a.stopReport === b.stopReport && a.contReport === b.contReport && a.tracer === b.tracer && a.vps === b.vps &&
    a.cssSet === b.cssSet && sameNumbers(a.children, b.children) && sameNumbers(a.pending, b.pending) && sameNumbers(a.traced, b.traced) &&
    sameFlatMap(a.dispositions, b.dispositions) && sameFlatMap(a.caught, b.caught) && deepEqual(a.exitStatus, b.exitStatus)
  );
}

function sameTasks(a: ReadonlyMap<number, Task>, b: ReadonlyMap<number, Task>): boolean {
  if (a.size !== b.size) return false;
  for (const [pid, t] of a) {
    const u = b.get(pid);
    if (!u || !sameTask(t, u)) return false;
  }
  return true;
}

/**
 * `deepEqual` of two kernel states' field `key`, with the task table compared by `sameTask`: the
 * structural comparison of atomicity (after every failed event) and of final states.
 */
export function sameStateField(a: KernelState, b: KernelState, key: string): boolean {
  if (key === 'tasks') return sameTasks(a.tasks, b.tasks);
  return deepEqual((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]);
}

/** Two kernel states are equal as plain data (`deepEqual`, faster). */
export function sameKernelState(a: KernelState, b: KernelState): boolean {
  for (const key in a) if (!sameStateField(a, b, key)) return false;
  return Object.keys(a).length === Object.keys(b).length;
}
