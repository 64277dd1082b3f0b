import { PidPool } from './pool.mjs';
import { weights } from './prng.mjs';

/**
 * A realistic workload over the model: a population of about `target` tasks that fork, exec,
 * exit and get reaped, move between cgroups, signal each other, form process groups and
 * sessions, plus some ptrace, cluster, hotplug, fault-injection and VPS (OpenVZ) activity.
 * Each event is chosen against the CURRENT model state (the caller is alive, pids name real
 * tasks most of the time), so the mix of outcomes resembles a real machine's: mostly `ret`,
 * some `err` and `blocked`. A few arguments are deliberately wrong (bad signals, forced pids,
 * unknown cgroups) so that error paths are exercised too.
 */

/** Per 10,000 events. fork and exit share one budget, split by the population (see `birthOrDeath`). */
export const OP_WEIGHTS = weights({
  birthOrDeath: 2500,
  wait: 1300,
  attach: 1100,
  kill: 650,
  exec: 400,
  read: 400,
  getpid: 300,
  getppid: 250,
  setpgid: 300,
  write: 300,
  signal: 250,
  getpgid: 200,
  mkdir: 200,
  ptrace: 250,
  getsid: 150,
  setsid: 150,
  rmdir: 150,
  migrate: 150,
  vps_enter: 25,
  vps_create: 20,
  inject: 15,
  vps_checkpoint: 8,
  vps_restore: 8,
  cpu_hotplug: 6,
  node_hotplug: 3,
  remount: 3,
  subsys_churn: 3,
});

export const HEADER = { kreplay: 1, semantics: 'cgroups-2009', config: { cpus: 4, mems: 2, nodes: 3 } };

const HIERARCHIES = ['cpu', 'net', 'u'];
const NAMES = ['a', 'b', 'c', 'web', 'db', 'batch', 'user.slice', 'svc-1', '__proto__', 'constructor'];
const SIGNALS = weights({ 15: 20, 17: 12, 18: 14, 10: 12, 9: 8, 19: 6, 20: 4, 1: 5, 2: 6, 12: 4, 0: 5, 99: 1 });
const DISPOSITION_SIGNALS = [1, 2, 10, 12, 15, 17, 18, 20, 9];
const MAX_CGROUPS = 24;
const VPS_IDS = 12;
const IMAGES = ['img0', 'img1', 'img2', 'img3'];

/** Only the part of an outcome `expect` needs (reference: Outcomes: ret / err / blocked). */
export function expectOf(outcome) {
  if ('ret' in outcome) return { ret: outcome.ret };
  if ('err' in outcome) return { err: outcome.err };
  return { blocked: true };
}

export class Workload {
  /** `k`: a kernel booted from HEADER (bootKernel from dist/replay/kernel.js); `step` applies one event. */
  constructor(k, step, rng, target = 256) {
    this.k = k;
    this.step = step;
    this.rng = rng;
    this.population = target;
    this.pool = new PidPool();
    this.pool.add(1);
    /** Parents of recent exits: who will want to wait (bounded). */
    this.waiters = [];
    /** [tracer, tracee] pairs of successful attaches (validated when used). */
    this.traces = [];
    /** Hierarchy -> cgroup paths created (root included). */
    this.cgroups = new Map(HIERARCHIES.map((h) => [h, ['/']]));
    /** cpuset path -> the cpus list it was given (a child asks for its parent's). */
    this.cpus = new Map([['/', '0-3']]);
    /** Events to emit before choosing new ones (setup, follow-ups of a mkdir). */
    this.queue = [
      { op: 'load_subsys', by: 1, name: 'net_cls' },
      { op: 'mount', by: 1, hierarchy: 'cpu', subsystems: ['cpuset'] },
      { op: 'mount', by: 1, hierarchy: 'net', subsystems: ['net_cls'] },
      { op: 'mount', by: 1, hierarchy: 'u', subsystems: [] },
    ];
    this.live = (pid) => {
      const t = this.k.s.tasks.get(pid);
      return t !== undefined && t.state !== 'zombie';
    };
    this.running = (pid) => this.k.s.tasks.get(pid)?.state === 'running';
  }

  /** Chooses the next event, applies it to the model, and returns it with its outcome as `expect`. */
  next() {
    const ev = this.queue.length > 0 ? this.queue.shift() : this.choose();
    const outcome = this.step(this.k, ev);
    this.observe(ev, outcome);
    ev.expect = expectOf(outcome);
    return ev;
  }

  choose() {
    const kind = this.rng.weighted(OP_WEIGHTS);
    return this[kind]();
  }

  // --- picking -------------------------------------------------------------------------

  /** A running task, most of the time (a stopped caller is a realistic `blocked`). */
  caller() {
    const pid = this.pool.pick(this.rng, this.rng.chance(0.97) ? this.running : this.live);
    return pid === 0 ? 1 : pid;
  }

  /** A task the caller can name: a child, itself, or any task (invisible across VPS boundaries). */
  target(by) {
    const t = this.k.s.tasks.get(by);
    const r = this.rng.next();
    if (t && t.children.length > 0 && r < 0.45) return this.rng.pick(t.children);
    if (r < 0.6) return by;
    const pid = this.pool.pick(this.rng, this.live);
    return pid === 0 ? by : pid;
  }

  hostCaller() {
    for (let i = 0; i < 4; i++) {
      const by = this.caller();
      if (this.k.s.tasks.get(by)?.vps === 0) return by;
    }
    return 1;
  }

  path(h) {
    return this.rng.pick(this.cgroups.get(h));
  }

  // --- processes -------------------------------------------------------------------------

  birthOrDeath() {
    const pop = this.k.s.tasks.size;
    const pFork = Math.min(0.95, Math.max(0.05, 0.5 + (0.5 * (this.population - pop)) / this.population));
    return this.rng.chance(pFork) ? this.fork() : this.exit();
  }

  fork() {
    const ev = { op: 'fork', by: this.caller() };
    const r = this.rng.next();
    if (r < 0.04) ev.node = this.rng.int(4);
    else if (r < 0.045) ev.pid = 1 + this.rng.int(40000);
    else if (r < 0.05) ev.vpid = 1025 + this.rng.int(2000);
    return ev;
  }

  exit() {
    let by = this.caller();
    if (by === 1) by = this.caller();
    return { op: 'exit', by, code: this.rng.chance(0.9) ? 0 : this.rng.int(300) };
  }

  wait() {
    let by = 0;
    while (by === 0 && this.waiters.length > 0 && this.rng.chance(0.8)) {
      const w = this.waiters.pop();
      if (this.running(w)) by = w;
    }
    if (by === 0) by = this.caller();
    const ev = { op: 'wait', by };
    if (this.rng.chance(0.15)) ev.pid = this.target(by);
    if (this.rng.chance(0.5)) ev.nohang = true;
    if (this.rng.chance(0.2)) ev.untraced = true;
    if (this.rng.chance(0.1)) ev.continued = true;
    return ev;
  }

  kill() {
    const by = this.caller();
    const sig = Number(this.rng.weighted(SIGNALS));
    const r = this.rng.next();
    const t = this.k.s.tasks.get(by);
    let pid = this.target(by);
    if (r < 0.05) pid = 0;
    else if (r < 0.08 && t) pid = -t.pgid;
    else if (r < 0.085 && (sig === 0 || sig === 18 || sig === 17)) pid = -1;
    return { op: 'kill', by, pid, sig };
  }

  signal() {
    const sig = this.rng.pick(DISPOSITION_SIGNALS);
    return { op: 'signal', by: this.caller(), sig, action: this.rng.pick(['ignore', 'catch', 'default', 'default']) };
  }

  setpgid() {
    const by = this.caller();
    const t = this.k.s.tasks.get(by);
    const pid = this.rng.chance(0.5) ? 0 : this.target(by);
    const pgid = this.rng.chance(0.5) ? 0 : (t?.pgid ?? 0);
    return { op: 'setpgid', by, pid, pgid };
  }

  setsid() {
    return { op: 'setsid', by: this.caller() };
  }

  exec() {
    return { op: 'exec', by: this.caller() };
  }

  getpid() {
    return { op: 'getpid', by: this.caller() };
  }

  getppid() {
    return { op: 'getppid', by: this.caller() };
  }

  getpgid() {
    const by = this.caller();
    return this.rng.chance(0.5) ? { op: 'getpgid', by } : { op: 'getpgid', by, pid: this.target(by) };
  }

  getsid() {
    const by = this.caller();
    return this.rng.chance(0.5) ? { op: 'getsid', by } : { op: 'getsid', by, pid: this.target(by) };
  }

  ptrace() {
    const r = this.rng.next();
    if (r < 0.55 && this.traces.length > 0) {
      const i = this.rng.int(this.traces.length);
      const [tracer, tracee] = this.traces[i];
      this.traces[i] = this.traces[this.traces.length - 1];
      this.traces.pop();
      const request = this.rng.chance(0.5) ? 'cont' : 'detach';
      if (request === 'cont' && this.live(tracee)) this.traces.push([tracer, tracee]);
      return { op: 'ptrace', by: tracer, request, pid: tracee, sig: 0 };
    }
    const by = this.caller();
    if (r > 0.95) return { op: 'ptrace', by, request: 'traceme' };
    return { op: 'ptrace', by, request: 'attach', pid: this.target(by) };
  }

  migrate() {
    const by = this.caller();
    return { op: 'migrate', by, pid: this.target(by), node: this.rng.int(3) };
  }

  // --- cgroups ---------------------------------------------------------------------------

  attach() {
    const by = this.caller();
    const h = this.rng.pick(HIERARCHIES);
    return { op: 'attach', by, hierarchy: h, path: this.path(h), pid: this.rng.chance(0.3) ? 0 : this.target(by) };
  }

  mkdir() {
    const h = this.rng.pick(HIERARCHIES);
    const list = this.cgroups.get(h);
    if (list.length >= MAX_CGROUPS) return this.attach();
    const parent = this.path(h);
    const path = (parent === '/' ? '' : parent) + '/' + this.rng.pick(NAMES);
    return { op: 'mkdir', by: this.hostCaller(), hierarchy: h, path };
  }

  rmdir() {
    const h = this.rng.pick(HIERARCHIES);
    const list = this.cgroups.get(h);
    const path = list.length > 1 && this.rng.chance(0.95) ? list[1 + this.rng.int(list.length - 1)] : '/';
    return { op: 'rmdir', by: this.hostCaller(), hierarchy: h, path };
  }

  write() {
    const by = this.hostCaller();
    const h = this.rng.pick(HIERARCHIES);
    const path = this.path(h);
    const r = this.rng.next();
    if (r < 0.3) return { op: 'write', by, hierarchy: h, path, file: 'tasks', value: String(this.target(by)) };
    if (r < 0.45) return { op: 'write', by, hierarchy: h, path, file: 'notify_on_release', value: this.rng.pick(['0', '1']) };
    if (h === 'net') return { op: 'write', by, hierarchy: h, path, file: 'net_cls.classid', value: String(0x100000 + this.rng.int(64)) };
    if (h === 'cpu') {
      if (r < 0.85) return { op: 'write', by, hierarchy: h, path, file: 'cpuset.cpus', value: this.rng.pick(['0-3', '0-1', '2-3', '1', '0,2', 'x']) };
      return { op: 'write', by, hierarchy: h, path, file: 'cpuset.mems', value: this.rng.pick(['0', '0-1', '1']) };
    }
    return { op: 'write', by, hierarchy: h, path, file: 'release_agent', value: '/sbin/agent' };
  }

  read() {
    const by = this.caller();
    const h = this.rng.pick(HIERARCHIES);
    const files = { cpu: ['cpuset.cpus', 'cpuset.mems', 'tasks', 'notify_on_release'], net: ['net_cls.classid', 'tasks'], u: ['tasks', 'cgroup.procs'] }[h];
    return { op: 'read', by, hierarchy: h, path: this.path(h), file: this.rng.pick(files) };
  }

  remount() {
    return this.rng.chance(0.5) ? { op: 'umount', by: 1, hierarchy: 'u' } : { op: 'mount', by: 1, hierarchy: 'u', subsystems: [] };
  }

  subsys_churn() {
    return this.rng.chance(0.5) ? { op: 'load_subsys', by: 1, name: 'faulty' } : { op: 'unload_subsys', by: 1, name: 'faulty' };
  }

  inject() {
    const point = this.rng.pick(['fork', 'create', 'can_attach']);
    return { op: 'inject', point, err: 'ENOMEM', count: 1 };
  }

  // --- environment -----------------------------------------------------------------------

  cpu_hotplug() {
    const cpu = 1 + this.rng.int(3);
    const mem = this.rng.chance(0.2);
    if (mem) return { op: this.rng.chance(0.5) ? 'mem_down' : 'mem_up', mem: 1 };
    return { op: this.k.s.cg.cpusOnline.has(cpu) ? 'cpu_down' : 'cpu_up', cpu };
  }

  node_hotplug() {
    const node = 1 + this.rng.int(2);
    return { op: this.k.s.nodesUp[node] ? 'node_down' : 'node_up', node };
  }

  // --- VPS (seed 004) ----------------------------------------------------------------------

  vps_create() {
    return { op: 'vps_create', by: this.hostCaller(), vps: 1 + this.rng.int(VPS_IDS) };
  }

  vps_enter() {
    return { op: 'vps_enter', by: this.hostCaller(), vps: 1 + this.rng.int(VPS_IDS) };
  }

  vps_checkpoint() {
    return { op: 'vps_checkpoint', by: this.hostCaller(), vps: 1 + this.rng.int(VPS_IDS), image: this.rng.pick(IMAGES) };
  }

  vps_restore() {
    return { op: 'vps_restore', by: this.hostCaller(), vps: 1 + this.rng.int(VPS_IDS * 2), image: this.rng.pick(IMAGES) };
  }

  // --- bookkeeping -----------------------------------------------------------------------

  /** Learns from a successful event what the pickers need: new tasks, exits, cgroups, traces. */
  observe(ev, outcome) {
    if (!('ret' in outcome)) return;
    const s = this.k.s;
    switch (ev.op) {
      case 'fork': {
        const kids = s.tasks.get(ev.by)?.children;
        if (kids && kids.length > 0) this.pool.add(kids[kids.length - 1]);
        break;
      }
      case 'vps_create':
      case 'vps_enter':
        this.pool.add(outcome.ret);
        break;
      case 'vps_restore':
        for (const t of s.tasks.values()) if (t.vps === ev.vps && t.state !== 'zombie') this.pool.add(t.pid);
        break;
      case 'exit': {
        const parent = s.tasks.get(ev.by)?.parent;
        if (parent && parent !== 1 && this.waiters.length < 64) this.waiters.push(parent);
        break;
      }
      case 'mkdir':
        this.cgroups.get(ev.hierarchy).push(ev.path);
        if (ev.hierarchy === 'cpu') this.followCpuset(ev.path);
        break;
      case 'rmdir': {
        const list = this.cgroups.get(ev.hierarchy);
        const i = list.indexOf(ev.path);
        if (i > 0) list.splice(i, 1);
        break;
      }
      case 'umount':
        this.cgroups.set(ev.hierarchy, ['/']);
        break;
      case 'write':
        if (ev.file === 'cpuset.cpus') this.cpus.set(ev.path, ev.value);
        break;
      case 'ptrace':
        if (ev.request === 'attach' && this.traces.length < 64) this.traces.push([ev.by, ev.pid]);
        break;
      default:
    }
  }

  /** A new cpuset is empty (reference: write): give it its parent's cpus and a mem, as a real admin would. */
  followCpuset(path) {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const cpus = this.cpus.get(parent) ?? '0-3';
    this.queue.push({ op: 'write', by: 1, hierarchy: 'cpu', path, file: 'cpuset.cpus', value: cpus });
    this.queue.push({ op: 'write', by: 1, hierarchy: 'cpu', path, file: 'cpuset.mems', value: '0' });
  }
}
