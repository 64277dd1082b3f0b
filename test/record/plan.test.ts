// How the recorder maps each event (src/record/plan.ts, docs/recording.md): what it refuses and
// why, and how it translates the rest. No kernel needed.
import { describe, expect, it } from 'vitest';
import { decodeWaitStatus } from '../../src/record/executor.js';
import { findCpusetMount, parseList } from '../../src/record/machine.js';
import { hex, planEvent, type PlanState } from '../../src/record/plan.js';
import type { Event } from '../../src/trace/schema-types.js';

const mounted = (): PlanState => ({ noprefix: false, hierarchy: 'cs' });
const plan = (ev: object, st = mounted()) => planEvent(ev as Event, st);
const refused = (ev: object, st = mounted()): string => {
  const s = plan(ev, st);
  if (!('refuse' in s)) throw new Error(`not refused: ${JSON.stringify(s)}`);
  return s.refuse;
};

describe('events a live kernel cannot run are refused with a reason (docs/recording.md)', () => {
  it.each([
    [{ op: 'fork', by: 1, node: 1 }, /cluster/],
    [{ op: 'fork', by: 1, vpid: 1025 }, /OpenVZ/],
    [{ op: 'migrate', by: 1, pid: 2, node: 1 }, /cluster/],
    [{ op: 'node_down', node: 1 }, /cluster/],
    [{ op: 'vps_create', by: 1, vps: 1 }, /OpenVZ/],
    [{ op: 'register_subsys', by: 1, name: 'net_cls' }, /registration/],
    [{ op: 'load_subsys', by: 1, name: 'net_cls' }, /loading/],
    [{ op: 'unload_subsys', by: 1, name: 'net_cls' }, /unloading/],
    [{ op: 'inject', point: 'fork', err: 'ENOMEM' }, /only in the model/],
    [{ op: 'cpu_down', cpu: 1 }, /hotplug/],
    [{ op: 'mem_up', mem: 1 }, /hotplug/],
    [{ op: 'exit', by: 1, code: 0 }, /init/],
    [{ op: 'ptrace', by: 1, request: 'traceme' }, /TRACEME by task 1: .*executor, outside the sandbox/],
    [{ op: 'clone_thread', by: 1 }, /thread of task 1.*exit_group/],
    [{ op: 'exit_thread', by: 1, code: 0 }, /init/],
    [{ op: 'umount', by: 1, hierarchy: 'cs' }, /unmounts/],
    [{ op: 'write', by: 1, hierarchy: 'cs', path: '/', file: 'cpuset.cpus', value: '0' }, /top cpuset/],
    [{ op: 'read', by: 1, hierarchy: 'cs', path: '/', file: 'cpuset.cpu_exclusive' }, /top cpuset/],
    [{ op: 'read', by: 1, hierarchy: 'cs', path: '/', file: 'release_agent' }, /top cpuset/],
    [{ op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.mem_exclusive', value: '1' }, /exclusive/],
    [{ op: 'rmdir', by: 1, hierarchy: 'cs', path: '/' }, /top cpuset/],
    [{ op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a/../../x' }, /plain absolute cgroup path/],
    [{ op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a//b' }, /plain absolute cgroup path/],
    [{ op: 'mkdir', by: 1, hierarchy: 'cs', path: 'a' }, /plain absolute cgroup path/],
    [{ op: 'read', by: 1, hierarchy: 'cs', path: '/a', file: '../x' }, /not a file name/],
    [{ op: 'mkdir', by: 1, hierarchy: 'other', path: '/a' }, /not the cpuset hierarchy/],
    [{ op: 'kill', by: 1, pid: 2 ** 40, sig: 0 }, /int argument/],
    [{ op: 'sched_setaffinity', by: 1, pid: 0, cpus: '0,63' }, /63 bits/],
  ])('%j', (ev, why) => {
    expect(refused(ev)).toMatch(why);
  });

  it('sched_setaffinity passes the cpu list as a bit mask, sched_getaffinity the pid (docs/recording.md)', () => {
    expect(plan({ op: 'sched_setaffinity', by: 2, pid: 3, cpus: '0-1,5' })).toEqual({ cmd: 'setaffinity 2 3 35' });
    expect(plan({ op: 'sched_setaffinity', by: 2, pid: 0, cpus: '62' })).toEqual({ cmd: `setaffinity 2 0 ${2n ** 62n}` });
    expect(plan({ op: 'sched_setaffinity', by: 2, pid: 0, cpus: '' })).toEqual({ cmd: 'setaffinity 2 0 0' });
    expect(plan({ op: 'sched_getaffinity', by: 2, pid: 0 })).toEqual({ cmd: 'getaffinity 2 0' });
  });

  it('mount maps the one cpuset hierarchy, with the kernel’s prefix setting, and no other', () => {
    const st: PlanState = { noprefix: false, hierarchy: null };
    expect(refused({ op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' }, st)).toMatch(/no cpuset hierarchy is mounted/);
    expect(refused({ op: 'mount', by: 1, hierarchy: 'cs' }, st)).toMatch(/cpuset alone/);
    expect(refused({ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset', 'debug'] }, st)).toMatch(/cpuset alone/);
    expect(refused({ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'], noprefix: true }, st)).toMatch(/without noprefix/);
    expect(plan({ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] }, st)).toEqual({ local: { ret: 0 } });
    expect(st.hierarchy).toBe('cs');
    expect(refused({ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] }, st)).toMatch(/only one mount/);
  });
});

describe('recordable events become executor commands', () => {
  it.each([
    [{ op: 'fork', by: 1 }, 'fork 1 0 0'],
    [{ op: 'fork', by: 1, pid: 50 }, 'fork 1 1 50'],
    [{ op: 'fork', by: 3, newpid: true }, 'fork 3 2 0'],
    [{ op: 'fork', by: 3, newpid: true, pid: 50 }, 'fork 3 3 50'],
    [{ op: 'unshare', by: 2, flags: ['newpid'] }, 'unshare 2 1'],
    [{ op: 'unshare', by: 2, flags: [] }, 'unshare 2 0'],
    [{ op: 'unshare', by: 2 }, 'unshare 2 0'],
    [{ op: 'setns', by: 4, pid: 3 }, 'setns 4 3'],
    [{ op: 'exit', by: 2, code: 300 }, 'exit 2 44'],
    [{ op: 'wait', by: 2 }, 'wait 2 -1 0'],
    [{ op: 'wait', by: 2, pid: -5, nohang: true, untraced: true, continued: true }, 'wait 2 -5 7'],
    [{ op: 'signal', by: 2, sig: 17, action: 'ignore' }, 'signal 2 17 1'],
    [{ op: 'ptrace', by: 2, request: 'cont', pid: 3, sig: 10 }, 'ptrace 2 3 3 10'],
    [{ op: 'attach', by: 1, hierarchy: 'cs', path: '/a', pid: 0 }, `write 1 ${hex('/a')} ${hex('tasks')} ${hex('0')}`],
    [{ op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '' }, `write 1 ${hex('/a')} ${hex('cpuset.cpus')} -`],
    [{ op: 'write', by: 1, hierarchy: 'cs', path: '/', file: 'tasks', value: '2' }, `write 1 2f ${hex('tasks')} 32`],
  ])('%j', (ev, cmd) => {
    expect(plan(ev)).toEqual({ cmd });
  });
});

describe('the kernel’s answers in the model’s terms', () => {
  it('wait statuses become the model’s status objects (WIFEXITED, WIFSIGNALED, WIFSTOPPED, WIFCONTINUED)', () => {
    expect(decodeWaitStatus(0x700)).toEqual({ exited: 7 });
    expect(decodeWaitStatus(9)).toEqual({ signaled: 9 });
    expect(decodeWaitStatus(0x80 | 11)).toEqual({ signaled: 11 });
    expect(decodeWaitStatus(0x137f)).toEqual({ stopped: 19 });
    expect(decodeWaitStatus(0xffff)).toEqual({ continued: true });
  });

  it('finds the cpuset hierarchy in mountinfo and reads kernel lists', () => {
    const info = [
      '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
      '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
      '35 30 0:32 / /sys/fs/cgroup/my\\040cpuset rw,relatime - cgroup cgroup rw,cpuset,noprefix',
    ].join('\n');
    expect(findCpusetMount(info)).toEqual({ dir: '/sys/fs/cgroup/my cpuset', noprefix: true });
    expect(findCpusetMount(info.split('\n').slice(0, 2).join('\n'))).toBeNull();
    expect(parseList('0-2,5\n')).toEqual([0, 1, 2, 5]);
  });
});
