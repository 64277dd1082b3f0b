import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { viewToPid } from '../vpid/view.js';
import { post, runnableCaller } from './post-util.js';

/** Postconditions of the thread ops (reference: threads), restated from the reference rather than from the handlers. */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;

/** The calling thread before the event: its pid, its process's pid, whether its process had other threads; null when no handler runs. */
interface ThreadPre {
  by: number;
  tgid: number;
  numUse: ReadonlySet<number>;
  vps: number;
}
function threadPre(s: KernelState, _v: SemanticVersion, ev: { by: number }): ThreadPre | null {
  const t = s.tasks.get(ev.by);
  const leader = t ? s.tasks.get(t.tgid) : undefined;
  if (!t || !leader || leader.state !== 'running' || (t === leader && leader.leaderExited)) return null;
  return { by: t.pid, tgid: leader.pid, numUse: new Set(s.numUse.keys()), vps: leader.vps };
}

/** Processes: task records that lead their thread group. */
const processCount = (s: KernelState): number => {
  let n = 0;
  for (const t of s.tasks.values()) if (t.tgid === t.pid) n++;
  return n;
};

export const THREAD_POSTCONDITIONS = {
  clone_thread: [
    post<Ev<'clone_thread'>, ThreadPre | null>({
      id: 'post-clone-thread-result',
      doc: "a successful clone_thread returns a tid that was free, naming a new thread of the caller's process that the leader lists (reference: threads)",
      before: threadPre,
      check(pre, s, _v, _ev, o) {
        if (!pre || !('ret' in o)) return null;
        // the tid is returned in the caller's view (its pid namespace's number)
        const me = s.tasks.get(pre.by);
        const tid = me ? viewToPid(s, me, o.ret as number) : null;
        if (tid === null) return `tid ${String(o.ret)} names no task in the caller's view`;
        const t = s.tasks.get(tid);
        if (pre.numUse.has(tid)) return `tid ${tid} was in use before`;
        if (!t || t.tgid !== pre.tgid) return `tid ${tid} is no thread of process ${pre.tgid}`;
        return s.tasks.get(pre.tgid)?.threads.includes(tid) ? null : `leader ${pre.tgid} does not list thread ${tid}`;
      },
    }),
    post<Ev<'clone_thread'>, { procs: number; children: number } | null>({
      id: 'post-clone-thread-process',
      doc: "clone_thread makes no process: the number of processes (group leaders) and the caller's children stay as they were (reference: threads)",
      before: (s, v, ev) => {
        const pre = threadPre(s, v, ev);
        return pre && { procs: processCount(s), children: s.tasks.get(pre.tgid)?.children.length ?? 0 };
      },
      check(pre, s, _v, ev) {
        if (!pre) return null;
        const leader = runnableCaller(s, ev.by);
        const now = { procs: processCount(s), children: leader?.children.length ?? 0 };
        return now.procs === pre.procs && now.children === pre.children ? null : `processes and children changed: ${JSON.stringify(pre)} -> ${JSON.stringify(now)}`;
      },
    }),
  ],
  gettid: [
    post<Ev<'gettid'>, ThreadPre | null>({
      id: 'post-gettid-result',
      doc: "gettid returns the calling thread's own id (`by`), on the host; in a pid namespace, the number that names it there (reference: threads, pid namespaces)",
      before: threadPre,
      check(pre, s, _v, _ev, o) {
        if (!pre || pre.vps !== 0) return null;
        const me = s.tasks.get(pre.by);
        const named = me && 'ret' in o && typeof o.ret === 'number' ? viewToPid(s, me, o.ret) : null;
        return named === pre.by ? null : `returned ${JSON.stringify(o)}, which does not name the calling thread ${pre.by}`;
      },
    }),
    post<Ev<'gettid'>, string>({
      id: 'post-gettid-reads-only',
      doc: 'gettid changes nothing (reference: threads)',
      before: (s) => `${s.tasks.size}/${s.numUse.size}/${s.last}`,
      check: (pre, s) => (pre === `${s.tasks.size}/${s.numUse.size}/${s.last}` ? null : 'the task table changed'),
    }),
  ],
  exit_thread: [
    post<Ev<'exit_thread'>, ThreadPre | null>({
      id: 'post-exit-thread-result',
      doc: "exit_thread returns 0, except for global init's last thread (EPERM) (reference: threads)",
      before: threadPre,
      check(pre, s, _v, _ev, o) {
        if (!pre) return null;
        if ('ret' in o) return o.ret === 0 ? null : `returned ${JSON.stringify(o.ret)}, not 0`;
        const init = s.tasks.get(1);
        const last = pre.tgid === 1 && !!init && (init.threads.length === 0 || (init.leaderExited !== null && init.threads.length === 1 && init.threads[0] === pre.by));
        return 'err' in o && o.err === 'EPERM' && last ? null : `${JSON.stringify(o)}, expected {"ret":0}`;
      },
    }),
    post<Ev<'exit_thread'>, ThreadPre | null>({
      id: 'post-exit-thread-gone',
      doc: 'after a successful exit_thread the calling thread no longer runs: a thread is gone, a leader has exited (reference: threads)',
      before: threadPre,
      check(pre, s, _v, _ev, o) {
        if (!pre || !('ret' in o)) return null;
        const t = s.tasks.get(pre.by);
        if (!t) return null;
        if (t.tgid !== t.pid) return `thread ${pre.by} is still in the task table`;
        return t.state === 'zombie' || t.leaderExited !== null ? null : `leader ${pre.by} still runs`;
      },
    }),
  ],
} satisfies { [K in 'clone_thread' | 'gettid' | 'exit_thread']: readonly Postcondition<Ev<K>>[] };
