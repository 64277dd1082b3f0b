import { describe, expect, it } from 'vitest';
import type { Recorder } from '../../src/reducer/record.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Event } from '../../src/trace/schema-types.js';

/** A recorder that writes down every report, as `method(args)`. */
function spy(): { record: Recorder; calls: string[] } {
  const calls: string[] = [];
  const log =
    (name: string) =>
    (...args: unknown[]): void =>
      void calls.push(`${name}(${args.map((a) => (typeof a === 'object' && a !== null && 'pid' in a ? `task ${String(a.pid)}` : JSON.stringify(a))).join(', ')})`);
  const record: Recorder = {
    task: log('task'),
    number: log('number'),
    vps: log('vps'),
    exit: log('exit'),
    cgroup: log('cgroup'),
    settings: log('settings'),
    wholesale: log('wholesale'),
  };
  return { record, calls };
}

/**
 * Issue 11 item 2: the cgroup ops report their changes at their own choke points through the
 * context's `Recorder` (src/cgroup/dir.ts, attach.ts, files.ts, mount.ts, register.ts,
 * hotplug.ts), so the scoped checker no longer re-resolves an event's arguments; a failed op
 * reports nothing but what it may leave (reference: Outcomes).
 */
describe('what the cgroup ops report to the recorder (src/reducer/record.ts)', () => {
  const setup: Event[] = [
    { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] },
    { op: 'mount', by: 1, hierarchy: 'u', subsystems: [] },
    { op: 'mkdir', by: 1, hierarchy: 'u', path: '/g' },
    { op: 'fork', by: 1 },
  ];
  const reports = (ev: Event): string[] => {
    const k = bootKernel({ semantics: 'cgroups-2009' });
    for (const e of setup) step(k, e);
    const { record, calls } = spy();
    step(k, ev, record);
    return calls;
  };

  it('mount and umount are wholesale changes', () => {
    expect(reports({ op: 'mount', by: 1, hierarchy: 'v', subsystems: [] })).toEqual(['wholesale()']);
    expect(reports({ op: 'umount', by: 1, hierarchy: 'cs' })).toEqual(['wholesale()']);
    expect(reports({ op: 'umount', by: 1, hierarchy: 'nope' })).toEqual([]);
  });

  it('mkdir and rmdir report the cgroup and its parent; a failed one nothing', () => {
    expect(reports({ op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' })).toEqual(['cgroup("cs", "/a", "/", true)']);
    expect(reports({ op: 'mkdir', by: 1, hierarchy: 'u', path: '/g/h' })).toEqual(['cgroup("u", "/g/h", "/g", true)']);
    expect(reports({ op: 'rmdir', by: 1, hierarchy: 'u', path: '/g' })).toEqual(['cgroup("u", "/g", "/", false)']);
    expect(reports({ op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a/b' })).toEqual([]);
    expect(reports({ op: 'rmdir', by: 1, hierarchy: 'cs', path: '/' })).toEqual([]);
  });

  it('attach and a write to tasks report the task they move; a write to a subsystem file its hierarchy', () => {
    expect(reports({ op: 'attach', by: 1, hierarchy: 'u', path: '/g', pid: 2 })).toEqual(['task(task 2)']);
    expect(reports({ op: 'write', by: 1, hierarchy: 'u', path: '/g', file: 'tasks', value: '2' })).toEqual(['task(task 2)']);
    expect(reports({ op: 'attach', by: 1, hierarchy: 'u', path: '/g', pid: 99 })).toEqual([]);
    // 2.6.33: a task already in the cgroup is not moved again.
    expect(reports({ op: 'attach', by: 1, hierarchy: 'u', path: '/', pid: 2 })).toEqual([]);
    expect(reports({ op: 'write', by: 1, hierarchy: 'cs', path: '/', file: 'cpuset.cpu_exclusive', value: '1' })).toEqual(['settings("cs")']);
    expect(reports({ op: 'write', by: 1, hierarchy: 'cs', path: '/', file: 'notify_on_release', value: '1' })).toEqual([]);
  });

  it('hotplug and load/unload are wholesale changes', () => {
    expect(reports({ op: 'cpu_down', cpu: 1 })).toEqual(['wholesale()']);
    expect(reports({ op: 'cpu_down', cpu: 99 })).toEqual([]);
    expect(reports({ op: 'load_subsys', by: 1, name: 'net_cls' })).toEqual(['wholesale()']);
  });

  it('the process model reports exit, the tasks and the numbers it changes', () => {
    expect(reports({ op: 'exit', by: 2, code: 0 })[0]).toBe('exit(task 2)');
    expect(reports({ op: 'setsid', by: 2 })).toEqual(['task(task 2)', 'number(2)', 'number(2)', 'number(1)', 'number(1)']);
  });
});
