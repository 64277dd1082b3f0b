// The recorder and an independent harness must agree: every step of the oracle's observations
// (test/record/fixtures/oracle-observed.json, Linux 6.18) that the trace language can express is
// an event of a recording in traces/kernel/oracle-*.json (made by `kreplay record`), linked by
// its note "oracle <scenario> #<step>"; the recorded outcome must be what the harness saw.
// Every other step is listed with the reason it cannot be expressed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpulistFormat } from '../../src/cgroup/cpulist.js';
import { loadTrace } from '../../src/trace/load.js';
import type { Event, Expect } from '../../src/trace/schema-types.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');

interface Step {
  op: string;
  args: Record<string, unknown>;
  observed: { ret?: unknown; errno?: string };
}
const scenarios = JSON.parse(readFileSync(join(fixtures, 'oracle-observed.json'), 'utf8')) as Array<{ scenario: string; steps: Step[] }>;
const unexpressed = JSON.parse(readFileSync(join(fixtures, 'oracle-unexpressed.json'), 'utf8')) as {
  scenarios: Record<string, string>;
  steps: Record<string, Record<string, string>>;
};

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15, SIGSTOP: 19, SIGRTMAX: 64 };

/** The harness's decoded wait status ("exited(7)", "signaled(SIGKILL)", "continued") as the model's object. */
function status(decoded: string): unknown {
  if (decoded === 'continued') return { continued: true };
  const m = /^(exited|signaled|stopped)\((\w+)\)$/.exec(decoded);
  if (!m) throw new Error(`unknown status ${decoded}`);
  const n = SIGNALS[m[2] as string] ?? Number(m[2]);
  return { [m[1] as string]: n };
}

/** Ops whose model return value is 0 where the kernel returns a count or a message. */
const RET_ZERO = new Set(['write', 'attach', 'mkdir', 'rmdir', 'kill', 'setpgid', 'signal', 'ptrace', 'exit']);

/** Whether the recorded outcome says what the harness observed (labels: the trace's task numbers). */
function agrees(ev: Event, exp: Expect, obs: Step['observed'], labels: Record<string, number>, same: string | undefined, probe = '/oracle_probe'): boolean {
  if (obs.errno !== undefined) return exp.err === obs.errno;
  const r = obs.ret;
  // pidns_depth_limit: the errno of the unshare that fails (its count depends on the starting level; see the trace's note)
  if (r !== null && typeof r === 'object' && 'errno' in r) return exp.err === (r as { errno: string }).errno;
  if (exp.ret === undefined) return false;
  const label = (s: string): number | undefined => labels[/^pid\((.+)\)$/.exec(s)?.[1] ?? ''];
  // proc_read answers text: a pid (a label) or a number in decimal, a path under the trace's probe root where the harness's was /oracle_probe
  if (ev.op === 'proc_read') {
    const text = typeof r === 'number' ? String(r) : typeof r !== 'string' ? undefined : label(r) !== undefined ? String(label(r)) : r.replace(/^\/oracle_probe(?=[/\n])/, probe);
    return exp.ret === text;
  }
  if (r === true) return same !== undefined && exp.ret === labels[same];
  if (typeof r === 'string' && label(r) !== undefined) return exp.ret === label(r);
  if (RET_ZERO.has(ev.op)) return exp.ret === 0;
  if (r === 'returns its sid') return typeof exp.ret === 'number' && exp.ret > 0;
  if (r === 'outer pid != 1') return typeof exp.ret === 'number' && exp.ret !== 1;
  if (typeof r === 'string' && /^(exited|signaled|stopped)\(|^continued$/.test(r)) {
    return JSON.stringify((exp.ret as { status?: unknown }).status) === JSON.stringify(status(r));
  }
  if (typeof r === 'string' || typeof r === 'number') return exp.ret === r;
  // sched_getaffinity: the harness's cpu numbers, the trace's cpu list
  if (ev.op === 'sched_getaffinity' && Array.isArray(r)) return exp.ret === cpulistFormat(r as number[]);
  if (Array.isArray(r)) return exp.ret === r.map((p) => `${label(String(p))}\n`).join('');
  const o = r as { pid: unknown; decoded?: string };
  if (o.pid === 0) return exp.ret === 0;
  // The harness gave only the status (a wait for any child): the status must agree.
  if (o.pid === undefined) return JSON.stringify((exp.ret as { status?: unknown }).status) === JSON.stringify(status(o.decoded ?? ''));
  const pid = typeof o.pid === 'string' ? label(o.pid) : o.pid;
  return JSON.stringify(exp.ret) === JSON.stringify({ pid, status: status(o.decoded ?? '') });
}

const recordings = readdirSync(join(root, 'traces', 'kernel'))
  .filter((f) => f.startsWith('oracle-'))
  .map((f) => loadTrace(join(root, 'traces', 'kernel', f)));

interface Link {
  trace: string;
  index: number;
  ev: Event;
  same: string | undefined;
  labels: Record<string, number>;
  /** The path of the trace's mkdir noted "the oracle's probe root". */
  probe: string | undefined;
}
const links = new Map<string, Link>();
for (const t of recordings) {
  const labels = Object.fromEntries([...(/labels: ([^;]*)/.exec(t.header.note ?? '')?.[1] ?? '').matchAll(/(\S+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const probeRoot = t.events.find((ev) => ev.op === 'mkdir' && ev.note === "the oracle's probe root");
  const probe = probeRoot?.op === 'mkdir' ? probeRoot.path : undefined;
  t.events.forEach((ev, i) => {
    const m = /^oracle (\S+) #(\d+)(?: =(\S+))?$/.exec(ev.note ?? '');
    if (m) links.set(`${m[1]} #${m[2]}`, { trace: t.source, index: i + 1, ev, same: m[3], labels, probe });
  });
}

describe('the recorder agrees with the oracle harness step by step (traces/kernel/oracle-*.json vs fixtures/oracle-observed.json)', () => {
  const compared: string[] = [];
  const disagreeing: string[] = [];
  const notExpressible: Array<[string, string]> = [];
  for (const s of scenarios) {
    s.steps.forEach((step, i) => {
      const key = `${s.scenario} #${i + 1}`;
      const why = unexpressed.scenarios[s.scenario] ?? unexpressed.steps[s.scenario]?.[String(i + 1)];
      const link = links.get(key);
      if (link) {
        compared.push(key);
        if (why !== undefined || !link.ev.expect || !agrees(link.ev, link.ev.expect, step.observed, link.labels, link.same, link.probe)) {
          disagreeing.push(`${key} (${link.trace} event ${link.index}): oracle ${JSON.stringify(step.observed)}, recorded ${JSON.stringify(link.ev.expect)}`);
        }
      } else notExpressible.push([key, why ?? '(no reason given)']);
    });
  }
  const total = compared.length + notExpressible.length;
  console.log(
    `oracle comparison: ${total} steps, ${compared.length} compared, ${compared.length - disagreeing.length} agreeing, ${notExpressible.length} not expressible`,
  );
  const byReason = new Map<string, number>();
  for (const [, why] of notExpressible) byReason.set(why, (byReason.get(why) ?? 0) + 1);
  for (const [why, n] of byReason) console.log(`  not expressible (${n} steps): ${why}`);

  it('covers all 548 steps of the 25 scenarios', () => {
    expect(scenarios.length).toBe(25);
    expect(total).toBe(548);
  });

  it('every oracle link names a step that exists', () => {
    const steps = new Set(scenarios.flatMap((s) => s.steps.map((_st, i) => `${s.scenario} #${i + 1}`)));
    expect([...links.keys()].filter((k) => !steps.has(k))).toEqual([]);
  });

  it('compares every expressible step of the cpuset, pgrp, wait, kill, ptrace, orphan, pid namespace and subreaper scenarios', () => {
    expect(compared.length).toBeGreaterThanOrEqual(457);
    for (const prefix of ['cpuset_a', 'cpuset_b', 'cpuset_c', 'cpuset_d', 'cpuset_e', 'cpuset_f', 'cpuset_g', 'cpuset_h', 'cpuset_i', 'cpuset_j', 'cpuset_misc', 'pgrp_p', 'pgrp_q', 'wait_r', 'kill_s', 'ptrace_t', 'orphan_pgrp_u', 'pidns_k', 'pidns_l', 'pidns_m', 'pidns_n', 'pidns_o', 'pidns_depth', 'subreaper_v']) {
      expect(compared.some((k) => k.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it('the recorded outcome of every compared step is what the harness observed', () => {
    expect(disagreeing).toEqual([]);
  });

  it('every step not compared is listed with the reason the trace language cannot express it', () => {
    expect(notExpressible.filter(([, why]) => why === '(no reason given)')).toEqual([]);
  });

  it('the comparison can fail: a changed outcome disagrees', () => {
    const link = links.get('cpuset_b_subset_of_parent #7') as Link;
    const step = (scenarios.find((s) => s.scenario === 'cpuset_b_subset_of_parent') as { steps: Step[] }).steps[6] as Step;
    expect(agrees(link.ev, link.ev.expect as Expect, step.observed, link.labels, link.same)).toBe(true);
    expect(agrees(link.ev, { err: 'EINVAL' }, step.observed, link.labels, link.same)).toBe(false);
  });

  it('a proc_read compares as text: a labelled pid, a number, a path under the probe root (and can fail)', () => {
    const stepOf = (key: string): Step => {
      const [sc, n] = key.split(' #') as [string, string];
      return (scenarios.find((s) => s.scenario === sc) as { steps: Step[] }).steps[Number(n) - 1] as Step;
    };
    for (const [key, wrong] of [['cpuset_j_tasks_file #12', '/\n'], ['ptrace_t #3', '4'], ['ptrace_t #13', '3'], ['wait_r #13', 'S']] as const) {
      const link = links.get(key) as Link;
      expect(link.ev.op, key).toBe('proc_read');
      expect(agrees(link.ev, link.ev.expect as Expect, stepOf(key).observed, link.labels, link.same, link.probe), key).toBe(true);
      expect(agrees(link.ev, { ret: wrong }, stepOf(key).observed, link.labels, link.same, link.probe), key).toBe(false);
    }
  });
});
