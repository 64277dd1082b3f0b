import { describe, expect, it } from 'vitest';
import { POSTCONDITIONS } from '../../src/invariants/postconditions.js';
import { replayEvents } from '../../src/replay/replay.js';
import { OPS } from '../../src/reducer/registry.js';
import type { Event } from '../../src/trace/schema-types.js';
import { kreplay } from '../cli/helpers.js';

/** The ids a trace's postconditions report, by event index. */
function broken(events: Event[], semantics: 'cgroups-2009' | 'containers-2006' = 'cgroups-2009'): string[] {
  return replayEvents({ semantics }, events).violations.map((v) => `${v.index} ${v.invariant}`);
}

describe('postconditions (issue 12 item 1)', () => {
  it('every op has at least one postcondition on its return value and one on its effect, each id once', () => {
    // on the return value: `post-<op>-result`, and wait's three (ECHILD, WNOHANG, the pid reported)
    const onReturn = (id: string): boolean => /-(result|echild|nohang|reported)$/.test(id);
    for (const d of OPS.values()) {
      const ids = d.post.map((p) => p.id);
      expect(ids.some(onReturn), `${d.name}: ${ids.join(', ')}`).toBe(true);
      expect(ids.some((id) => !onReturn(id)), `${d.name}: ${ids.join(', ')}`).toBe(true);
    }
    const all = POSTCONDITIONS.map((p) => p.id);
    expect(new Set(all).size).toBe(all.length);
    for (const p of POSTCONDITIONS) expect(p.doc.length).toBeGreaterThan(20);
  });

  it('kreplay invariants lists every postcondition with its doc', () => {
    const r = kreplay('invariants', '--json');
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    for (const p of POSTCONDITIONS) expect(ids).toContain(p.id);
    expect(ids).toContain('post-wait-nohang');
  });

  it('hold on correct behaviour: the reference: wait wait cases, fork, exit reparenting, kill of a group, migrate, a cpuset write', () => {
    const events: Event[] = [
      { op: 'wait', by: 1, nohang: true }, // no child at all: ECHILD
      { op: 'fork', by: 1 },
      { op: 'fork', by: 2 },
      { op: 'wait', by: 1, nohang: true }, // a child with nothing to report: 0
      { op: 'exit', by: 2, code: 3 }, // 3 goes to the child reaper
      { op: 'wait', by: 1, nohang: true }, // 2 is reportable
      { op: 'setpgid', by: 3, pid: 0, pgid: 0 },
      { op: 'signal', by: 3, sig: 10, action: 'catch' },
      { op: 'kill', by: 1, pid: -3, sig: 10 },
      { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] },
      { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '0-1' },
      { op: 'read', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus' },
    ];
    expect(broken(events)).toEqual([]);
  });
});
