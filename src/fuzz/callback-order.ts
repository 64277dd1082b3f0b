import type { CgroupSubsys } from '../cgroup/subsys.js';
import type { Hierarchy } from '../cgroup/types.js';
import { pluginOf } from '../cgroup/plugins.js';
import { findSlot } from '../cgroup/world.js';
import type { Outcome } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';

/**
 * The `callback-order` property (reference: mkdir): with `traceCallbacks`, every outcome's `calls`
 * follow the version's callback rules. The order is derived here from the slots' ids (2006
 * ascending id, seed 001's loops; 2009 descending id, 2.6.33's list built by inserting at the
 * head), not from the hierarchy's list the core iterates, so a core that walks the list wrongly
 * is caught.
 * - mkdir: `create` in call order; when one fails, only the `destroy` of those already created
 *   follow, in the version's unwind order (2006 reverse, seed 001 `container_create`; 2009 call
 *   order, 2.6.33 `err_destroy`); otherwise every create, then `populate` only.
 * - attach and writes to `tasks`: `can_attach` in call order up to the first error, which ends
 *   the list; after all succeed, every `attach` in call order, then every `post_attach` where the
 *   version has it.
 * - any op: no `post_attach` in a version without it.
 * Subsystems without a callback are never traced (a missing callback is a silent no-op).
 */

interface Call {
  subsys: string;
  cb: string;
  err: string | null;
}
const parse = (c: string): Call => {
  const bang = c.indexOf('!');
  const head = bang < 0 ? c : c.slice(0, bang);
  const dot = head.lastIndexOf('.');
  return { subsys: head.slice(0, dot), cb: head.slice(dot + 1), err: bang < 0 ? null : c.slice(bang + 1) };
};
const show = (cs: readonly string[]): string => `[${cs.join(', ')}]`;

type Member = Exclude<keyof CgroupSubsys, 'name'>;

/** The hierarchy's subsystems that have `member`, in the version's call order (reference: mkdir). */
function callOrder(s: KernelState, v: SemanticVersion, h: Hierarchy, member: Member): string[] {
  const id = (n: string): number => findSlot(s.cg, n)?.id ?? -1;
  const sign = v.callOrder === 'ascending' ? 1 : -1;
  return h.subsystems.filter((n) => pluginOf(n)[member] !== undefined).sort((a, b) => sign * (id(a) - id(b)));
}

function hierarchyOf(s: KernelState, v: SemanticVersion, ev: { hierarchy?: string }): Hierarchy | undefined {
  const name = ev.hierarchy ?? (v.hierarchies === 'single' ? v.singleHierarchyName : undefined);
  return name === undefined ? undefined : s.cg.hierarchies.get(name);
}

function mkdirOrder(s: KernelState, v: SemanticVersion, h: Hierarchy, calls: readonly string[], failed: boolean): string | null {
  const parsed = calls.map(parse);
  const creates = parsed.filter((c) => c.cb === 'create');
  const order = callOrder(s, v, h, 'create');
  for (let i = 0; i < creates.length; i++) {
    if (creates[i]!.subsys !== order[i]) return `creates ${show(creates.map((c) => c.subsys))} are not in call order ${show(order)}`;
    if (creates[i]!.err !== null && i !== creates.length - 1) return `create ${creates[i]!.subsys} failed but later creates ran`;
  }
  const failedCreate = creates.length > 0 && creates[creates.length - 1]!.err !== null;
  const rest = parsed.slice(creates.length).map((c) => `${c.subsys}.${c.cb}${c.err ? `!${c.err}` : ''}`);
  if (parsed.slice(0, creates.length).some((c) => c.cb !== 'create')) return `calls ${show([...calls])} do not start with the creates`;
  if (!failedCreate) {
    if (creates.length > 0 && creates.length !== order.length) return `only ${creates.length} of the creates ${show(order)} ran`;
    const bad = rest.find((c) => !c.endsWith('.populate'));
    return bad ? `${bad} after a successful create` : null;
  }
  if (!failed) return `a create failed but mkdir succeeded`;
  const created = creates.slice(0, -1).map((c) => c.subsys).filter((n) => pluginOf(n).destroy !== undefined);
  const unwind = v.createUnwind === 'reverse' ? [...created].reverse() : created;
  const want = unwind.map((n) => `${n}.destroy`);
  return rest.join() === want.join() ? null : `after the failed create, ${show(rest)} instead of ${show(want)} (${v.createUnwind === 'reverse' ? 'reverse order' : 'call order'})`;
}

function attachOrder(s: KernelState, v: SemanticVersion, h: Hierarchy, calls: readonly string[], failed: boolean): string | null {
  const parsed = calls.map(parse);
  const canAttach = callOrder(s, v, h, 'canAttach');
  let i = 0;
  for (; i < parsed.length && parsed[i]!.cb === 'can_attach'; i++) {
    if (parsed[i]!.subsys !== canAttach[i]) return `can_attach ${show(parsed.slice(0, i + 1).map((c) => c.subsys))} not in call order ${show(canAttach)}`;
    if (parsed[i]!.err !== null) return i === parsed.length - 1 ? null : `calls after the failed ${parsed[i]!.subsys}.can_attach: ${show(calls.slice(i + 1))}`;
  }
  if (failed) return i === 0 || i === canAttach.length ? null : `the attach failed after ${i} of ${canAttach.length} can_attach`;
  if (parsed.length === 0) return null;
  if (i !== canAttach.length) return `attach after ${i} of the ${canAttach.length} can_attach`;
  const want = [
    ...callOrder(s, v, h, 'attach').map((n) => `${n}.attach`),
    ...(v.postAttach ? callOrder(s, v, h, 'postAttach').map((n) => `${n}.post_attach`) : []),
  ];
  const got = calls.slice(i);
  return got.join() === want.join() ? null : `after can_attach, ${show([...got])} instead of ${show(want)}`;
}

/** A message when `outcome.calls` breaks the version's callback order, else null (checked on the state after the event). */
export function callbackOrderViolation(s: KernelState, v: SemanticVersion, ev: Event, outcome: Outcome): string | null {
  const calls = 'blocked' in outcome ? undefined : outcome.calls;
  if (!calls || calls.length === 0) return null;
  if (!v.postAttach) {
    const pa = calls.find((c) => c.includes('.post_attach'));
    if (pa) return `${ev.op}: ${pa} in ${v.name}, which has no post_attach`;
  }
  const failed = 'err' in outcome;
  let msg: string | null = null;
  if (ev.op === 'mkdir' || ev.op === 'attach' || (ev.op === 'write' && ev.file === 'tasks')) {
    const h = hierarchyOf(s, v, ev);
    if (!h) return `${ev.op} on an unknown hierarchy ran callbacks ${show(calls)}`;
    msg = ev.op === 'mkdir' ? mkdirOrder(s, v, h, calls, failed) : attachOrder(s, v, h, calls, failed);
  }
  return msg === null ? null : `${ev.op} ${show(calls)}: ${msg}`;
}
