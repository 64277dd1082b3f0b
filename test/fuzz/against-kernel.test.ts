// `kreplay fuzz --against-kernel` (docs/fuzzing.md, Against the kernel): generated traces run on
// the live kernel and on the model under linux-6; a disagreement is shrunk on the kernel and
// written as the kernel's recording. Live-kernel tests skip, saying why, where recording cannot run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgainstKernel, runAgainstKernel, runSeed } from '../../src/fuzz/against-kernel.js';
import { probeMachine } from '../../src/record/machine.js';
import { planEvent, type PlanState } from '../../src/record/plan.js';
import { recordTrace } from '../../src/record/record.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { loadTrace } from '../../src/trace/load.js';
import { alive, childrenOf, cpusetDir, holdLiveLock, liveSkipReason, sandboxesOf, tasksUnder, until } from '../record/live.js';
import { runCli } from './cli-run.js';

const root = join(import.meta.dirname, '..', '..');
const skip = liveSkipReason();
if (skip) console.warn(`test/fuzz/against-kernel.test.ts: live-kernel campaign tests skipped: ${skip}`);

const tmp = mkdtempSync(join(tmpdir(), 'kreplay-against-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every executor a campaign started is gone, and so is its sandbox. */
function cleanedUp(executors: readonly number[]): void {
  expect(executors.length).toBeGreaterThan(0);
  for (const pid of executors) {
    expect(alive(pid), `executor ${pid}`).toBe(false);
    expect(sandboxesOf(pid), `sandbox of ${pid}`).toEqual([]);
  }
}

describe('fuzz --against-kernel refuses what cannot run, with one line and exit 2', () => {
  afterEach(() => vi.restoreAllMocks());
  it('not root (checkPrivileges, as record)', async () => {
    vi.spyOn(process as { geteuid: () => number }, 'geteuid').mockReturnValue(1000);
    const r = await runCli(['fuzz', '--against-kernel', '--runs', '1']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^kreplay: fuzz --against-kernel: recording needs root/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
  it('--keep-going without --against-kernel', async () => {
    const r = await runCli(['fuzz', '--keep-going', '--runs', '1']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^kreplay: --keep-going: only with --against-kernel/);
  });
  it.each([
    [['--faults'], '--faults'],
    [['--semantics', 'cgroups-2009'], '--semantics'],
    [['--workers', '2'], '--workers'],
    [['--shard', '0/2'], '--shard'],
  ])('model-only flags %j', async (flags, name) => {
    const r = await runCli(['fuzz', '--against-kernel', ...flags]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(new RegExp(`^kreplay: ${name}: cannot be used with --against-kernel`));
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(skip !== null)('fuzz --against-kernel on the live kernel', () => {
  // every executor removes dead executors' sandboxes when it starts: not while record.test.ts keeps one stale on purpose
  let release: (() => void) | null = null;
  beforeAll(async () => {
    release = await holdLiveLock();
  }, 600_000);
  afterAll(() => release?.());
  it('generates only what the recorder plans, the same events for the same seed', async () => {
    const probe = await recordTrace({ header: { kreplay: 1 }, events: [] });
    const m = probeMachine();
    const ak = new AgainstKernel({ semantics: 'linux-6', config: probe.header.config }, m.noprefix, { maxEvents: 40 });
    for (let run = 0; run < 30; run++) {
      const evs = ak.generate(runSeed(7, run));
      expect(evs[0]).toMatchObject({ op: 'mount', subsystems: ['cpuset'] });
      const st: PlanState = { noprefix: m.noprefix, hierarchy: null };
      for (const ev of evs) expect(planEvent(ev, st)).not.toHaveProperty('refuse');
      expect(ak.generate(runSeed(7, run))).toEqual(evs);
    }
  });

  it('a short campaign with a fixed seed runs every run and leaves no process and no cgroup', async () => {
    const executors: number[] = [];
    // seed 12: since sched_setaffinity joined the op table, seed 11's third run has a task that
    // did PTRACE_TRACEME attach to another; the SIGCHLD of its tracee's stop puts it in a
    // signal-delivery stop, which the model does not have and the executor reports as fatal
    const r = await runAgainstKernel({ runs: 6, seed: 12, maxEvents: 25, keepGoing: true, onExecutor: (pid) => executors.push(pid) });
    // the probe recording, then one sandbox per run (and per shrink step, if the model disagreed)
    expect(executors.length).toBe(r.executions + 1);
    expect(r.runs).toBe(6);
    expect(r.executions).toBe(6 + (r.finding?.shrinkRuns ?? 0));
    expect(r.events).toBeGreaterThan(6);
    cleanedUp(executors);
    expect(sandboxesOf(process.pid)).toEqual([]);
  });

  it("a planted model bug (linux-6's row with its initReaps rule flipped) is found, shrunk on the kernel, and written as the kernel's recording", async () => {
    const out = join(tmp, 'planted.json');
    const defaults = VERSIONS['linux-6'].defaults;
    defaults.initReaps = false;
    let r: Awaited<ReturnType<typeof runCli>>;
    let planted: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(['fuzz', '--against-kernel', '--runs', '50', '--seed', '5', '--max-events', '40', '--json', '--out', out]);
      planted = await runCli(['replay', out]);
    } finally {
      defaults.initReaps = true;
    }
    expect(r.status).toBe(1);
    const report = JSON.parse(r.out.trim().split('\n').at(-1) as string);
    expect(report.seed).toBe(5);
    const d = report.disagreement;
    expect(d.kernel).not.toEqual(d.model);
    // shrunk to a handful of events (a child of init dies; the model keeps it as a zombie, the kernel reaped it):
    // the shrinker drops events and never renumbers, so the forks that give the pids their numbers stay
    expect(d.events).toBeLessThanOrEqual(12);
    expect(d.events).toBeLessThan(d.generated.events);
    expect(d.index).toBe(d.events);
    const cx = loadTrace(out);
    expect(cx.header.semantics).toBe('linux-6');
    expect(cx.header.kernel?.release).toBeTruthy();
    expect(cx.events).toHaveLength(d.events);
    expect(cx.events.every((e) => e.expect !== undefined)).toBe(true);
    expect(cx.events.at(-1)?.expect).toEqual(d.kernel);
    // the model with the bug disagrees with the file; the model as it is agrees; the kernel, run again, says the same
    expect(planted.status).toBe(1);
    expect(planted.out).toContain(`divergence at event ${d.index} (${d.op}): expected ${JSON.stringify(d.kernel)}, got ${JSON.stringify(d.model)}`);
    const clean = await runCli(['replay', out]);
    expect(clean.status, clean.out + clean.err).toBe(0);
    const again = await recordTrace(cx);
    expect(again.events).toEqual(cx.events);
    // every shrink step ran on the kernel: many sandboxes, so a generous bound under a loaded machine
  }, 240_000);

  it('SIGINT mid-campaign: the sandbox is removed, the summary printed, exit 130', async () => {
    const node: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'kreplay'), 'fuzz', '--against-kernel', '--runs', '100000', '--seed', '3', '--max-events', '60', '--out', join(tmp, 'int.json')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    node.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const executors = new Set<number>();
    const running = await until(() => {
      for (const pid of childrenOf(node.pid as number)) executors.add(pid);
      return [...executors].some((pid) => sandboxesOf(pid).some((s) => tasksUnder(join(cpusetDir(), s)).length > 0)) && executors.size >= 2;
    }, 30_000);
    expect(running).toBe(true);
    node.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => node.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stdout).toMatch(/fuzz --against-kernel: interrupted by SIGINT after \d+ of 100000 runs in [\d.]+ s, seed 3/);
    expect(existsSync(join(tmp, 'int.json'))).toBe(false);
    cleanedUp([...executors]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain('cpuset');
  }, 120_000);
});
