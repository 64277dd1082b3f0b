import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { post, runnableCaller, show } from './post-util.js';

/** Postconditions of `prctl` (reference: prctl), restated from the reference rather than from the handler. */
type PrctlEvent = Extract<Event, { op: 'prctl' }>;
interface PrctlPre {
  caller: number | null;
  flag: boolean;
}
const prctlPre = (s: KernelState, _v: SemanticVersion, ev: PrctlEvent): PrctlPre => {
  const t = runnableCaller(s, ev.by);
  return { caller: t ? t.pid : null, flag: t?.childSubreaper ?? false };
};

export const PRCTL_POSTCONDITIONS = [
  post<PrctlEvent, PrctlPre>({
    id: 'post-prctl-result',
    doc: 'prctl is EINVAL under a version without child subreapers; otherwise set returns 0 and get returns the flag as it was (reference: prctl)',
    before: prctlPre,
    check(pre, _s, v, ev, o) {
      if (pre.caller === null) return null;
      const want = !v.childSubreaper ? { err: 'EINVAL' } : ev.option === 'get_child_subreaper' ? { ret: pre.flag ? 1 : 0 } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : 'err' in o ? { err: o.err } : o;
      return show(got) === show(want) ? null : `${show(o)}, expected ${show(want)}`;
    },
  }),
  post<PrctlEvent, PrctlPre>({
    id: 'post-prctl-flag',
    doc: "after set_child_subreaper the caller's flag is `arg != 0` (default 1); get and a failed prctl leave it as it was (reference: prctl)",
    before: prctlPre,
    check(pre, s, v, ev) {
      if (pre.caller === null) return null;
      const t = s.tasks.get(pre.caller);
      if (!t) return `caller ${pre.caller} is gone`;
      const want = v.childSubreaper && ev.option === 'set_child_subreaper' ? (ev.arg ?? 1) !== 0 : pre.flag;
      return t.childSubreaper === want ? null : `child subreaper flag of ${t.pid} is ${t.childSubreaper}, expected ${want}`;
    },
  }),
] satisfies readonly Postcondition<PrctlEvent>[];
