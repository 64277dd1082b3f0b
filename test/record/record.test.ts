// `kreplay record` and `kreplay conform` on the live kernel (docs/recording.md): determinism,
// agreement with the committed recordings, refusals, and the safety rules (nothing left behind
// on success, error, SIGINT, SIGKILL of the Node side, or a crash of the executor).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { recordingText, recordTrace } from '../../src/record/record.js';
import { replayFile } from '../../src/replay/replay.js';
import { loadTrace } from '../../src/trace/load.js';
import { alive, childrenOf, cpusetDir, holdLiveLock, liveSkipReason, sandboxesOf, tasksUnder, until } from './live.js';
import { runCli } from '../fuzz/cli-run.js';

const root = join(import.meta.dirname, '..', '..');
const kreplay = join(root, 'bin', 'kreplay');
const skip = liveSkipReason();
if (skip) console.warn(`test/record/record.test.ts: live-kernel recorder tests skipped: ${skip}`);

const tmp = mkdtempSync(join(tmpdir(), 'kreplay-record-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's RPC deadlines). */
function run(args: string[], opts: { uid?: number; gid?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [kreplay, ...args], { cwd: root, ...opts });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const cli = (...args: string[]) => run(args);

/** A trace that keeps the kernel busy: a small cgroup tree with tasks in it, then many getpids. */
function longTrace(): string {
  const events: object[] = [
    { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] },
    { op: 'fork', by: 1 },
    { op: 'fork', by: 2 },
    { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' },
    { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a/b' },
    { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '0' },
    { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.mems', value: '0' },
    { op: 'write', by: 1, hierarchy: 'cs', path: '/a/b', file: 'cpuset.cpus', value: '0' },
    { op: 'write', by: 1, hierarchy: 'cs', path: '/a/b', file: 'cpuset.mems', value: '0' },
    { op: 'attach', by: 1, hierarchy: 'cs', path: '/a/b', pid: 3 },
    { op: 'kill', by: 1, pid: 3, sig: 19 },
  ];
  for (let i = 0; i < 30_000; i++) events.push({ op: 'getpid', by: 2 });
  const path = join(tmp, 'long.json');
  writeFileSync(path, JSON.stringify({ kreplay: 1, events }));
  return path;
}

/** Starts recording the long trace; resolves once its sandbox holds tasks in /a/b. */
async function startLong(): Promise<{ node: ChildProcess; exec: number; sandbox: string; pids: number[]; out: string }> {
  const out = join(tmp, `long-${Date.now()}.json`);
  const node = spawn(process.execPath, [kreplay, 'record', longTrace(), '--out', out], { cwd: root, stdio: 'ignore' });
  let exec = 0;
  let sandbox = '';
  const ok = await until(() => {
    exec = childrenOf(node.pid as number)[0] ?? 0;
    const found = exec ? sandboxesOf(exec) : [];
    sandbox = found.length ? join(cpusetDir(), found[0] as string) : '';
    return sandbox !== '' && tasksUnder(join(sandbox, 'a', 'b')).length > 0;
  }, 30_000);
  expect(ok).toBe(true);
  return { node, exec, sandbox, pids: tasksUnder(sandbox), out };
}

const exited = (p: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
  new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve({ code: p.exitCode, signal: p.signalCode }) : p.on('exit', (code, signal) => resolve({ code, signal }))));

describe.skipIf(skip !== null)('kreplay record on the live kernel', () => {
  it('re-recording every trace of traces/kernel gives the committed outcomes', async () => {
    const dir = join(root, 'traces', 'kernel');
    for (const f of readdirSync(dir)) {
      const committed = loadTrace(join(dir, f));
      const rec = await recordTrace(committed);
      expect(rec.events, f).toEqual(committed.events);
      expect(rec.header.semantics).toBe('linux-6');
    }
  });

  it('recording twice gives byte-identical files with the kernel and the machine in the header', async () => {
    const a = join(tmp, 'a.json');
    expect((await cli('record', 'traces/kernel/oracle-ptrace-t.json', '--out', a)).status).toBe(0);
    const again = await recordTrace(loadTrace(join(root, 'traces/kernel/oracle-ptrace-t.json')));
    expect(recordingText(again.header, again.events)).toBe(readFileSync(a, 'utf8'));
    const header = JSON.parse(readFileSync(a, 'utf8'));
    expect(Object.keys(header.kernel)).toEqual(['release', 'nrCpuIds', 'onlineCpus', 'onlineMems']);
    expect(header.config.pidVirt).toBe('none');
    // the sandbox is a pid namespace one level below the recorder's (docs/recording.md)
    expect(header.config.rootPidNsLevel).toBe(Number(/^NSpid:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]?.trim().split(/\s+/).length));
    const r = replayFile(a); // replays under the model with no extra flag
    expect(r.violations).toEqual([]);
    expect(r.events).toBe(again.events.length);
  });

  it('refuses an unrecordable event before anything runs: one line naming it, exit 2, no output', async () => {
    const out = join(tmp, 'cluster.json');
    const r = await cli('record', 'traces/process/cluster.json', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kreplay: traces\/process\/cluster\.json: event 1 \(fork\) cannot run on a live kernel: node: cluster nodes/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('--skip-unrecordable drops them and says how many', async () => {
    const out = join(tmp, 'skip.json');
    const r = await cli('record', 'traces/process/vps-init.json', '--skip-unrecordable', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/28 events recorded .*; 8 unrecordable events dropped/);
    expect(JSON.parse(readFileSync(out, 'utf8')).events).toHaveLength(28);
  });

  it('an exec by a thread other than its leader stops the recording with one line and exit 3, leaving nothing behind (found by fuzz --against-kernel: it hung)', async () => {
    const input = join(tmp, 'exec-thread.json');
    writeFileSync(input, JSON.stringify({ kreplay: 1, events: [{ op: 'fork', by: 1 }, { op: 'clone_thread', by: 2 }, { op: 'exec', by: 3 }, { op: 'getpid', by: 2 }] }));
    const out = join(tmp, 'exec-thread-out.json');
    const sandboxes = (): string[] => readdirSync(cpusetDir()).filter((n) => n.startsWith('kreplay-'));
    const before = sandboxes();
    const r = await cli('record', input, '--out', out);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/exec by thread 3, not its process's leader, cannot be recorded/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(sandboxes()).toEqual(before);
  });

  it('refuses without root (one line, exit 2) and refuses to overwrite its input', async () => {
    // As a user without root (geteuid stubbed, in this process): refused before the output target
    // or the trace is looked at, and nothing is written.
    const open = mkdtempSync(join(tmpdir(), 'kreplay-record-nobody-'));
    const euid = vi.spyOn(process as { geteuid: () => number }, 'geteuid').mockReturnValue(65534);
    try {
      const r = await runCli(['record', 'traces/kernel/oracle-wait-r.json', '--out', join(open, 'x.json')]);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/^kreplay: .*: recording needs root/);
      expect(readdirSync(open)).toEqual([]);
    } finally {
      euid.mockRestore();
      rmSync(open, { recursive: true, force: true });
    }
    const copy = join(tmp, 'in.json');
    writeFileSync(copy, readFileSync(join(root, 'traces/kernel/oracle-wait-r.json')));
    const same = await cli('record', copy, '--out', copy);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/is the input .*never overwrites its input/);
  });

  it('conform prints each disagreement as "event N (op): kernel said X, model says Y" and exits 1', async () => {
    // A zero-length write: 0 on 6.18, the empty list (ENOSPC with a task) under 2.6.33's rules.
    const r = await cli('conform', 'traces/kernel/oracle-cpuset-f.json', '--semantics', 'cgroups-2009');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('event 16 (write): kernel said ret 0, model says ENOSPC');
    const j = await cli('conform', '--json', '--semantics', 'cgroups-2009', 'traces/kernel/oracle-wait-r.json', 'traces/kernel/oracle-cpuset-f.json');
    expect(j.status).toBe(1);
    const lines = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].divergences).toEqual([]);
    expect(lines[1].divergences).toHaveLength(1);
    expect(lines[1].divergences[0]).toMatchObject({ index: 16, op: 'write', expected: { ret: 0 }, actual: { err: 'ENOSPC' }, reason: { code: 'cpuset-empty-with-tasks' } });
  });

  it('SIGINT of the Node side mid-trace leaves no process and no cgroup', async () => {
    const run = await startLong();
    run.node.kill('SIGINT');
    expect((await exited(run.node)).code).toBe(130);
    expect(existsSync(run.sandbox)).toBe(false);
    expect(await until(() => ![run.exec, ...run.pids].some(alive), 5000)).toBe(true);
    expect(existsSync(run.out)).toBe(false);
  });

  it('SIGKILL of the Node side mid-trace leaves no process and no cgroup', async () => {
    const run = await startLong();
    run.node.kill('SIGKILL');
    await exited(run.node);
    expect(await until(() => !existsSync(run.sandbox) && ![run.exec, ...run.pids].some(alive))).toBe(true);
  });

  it('after the executor itself is killed, its processes are gone and a later run removes its stale cgroups', async () => {
    // no campaign of this checkout's tests may start an executor (which removes stale sandboxes) meanwhile
    const release = await holdLiveLock();
    try {
      await staleRun();
    } finally {
      release();
    }
  }, 600_000);
});

async function staleRun(): Promise<void> {
  {
    const run = await startLong();
    process.kill(run.exec, 'SIGKILL');
    expect((await exited(run.node)).code).toBe(3);
    expect(await until(() => !run.pids.some(alive))).toBe(true);
    expect(existsSync(run.sandbox)).toBe(true); // the executor could not clean up: stale
    const later = await recordTrace(loadTrace(join(root, 'traces/kernel/oracle-cpuset-b.json')));
    expect(later.sandbox.staleRemoved).toBeGreaterThanOrEqual(1);
    expect(existsSync(run.sandbox)).toBe(false);
  }
}
