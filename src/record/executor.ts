import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Expect } from '../trace/schema-types.js';
import { executorPath } from './machine.js';
import { RecordFailure } from './refusal.js';

/** errno number → name ("EPERM"), from Node's table of the platform's errnos. */
const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(constants.errno).map(([name, no]) => [no, name]));

/**
 * A wait(2) status as the model's status object (reference: exit, wait): WIFEXITED → exited,
 * WIFSIGNALED → signaled (the core-dump bit dropped), WIFSTOPPED → stopped, WIFCONTINUED →
 * continued.
 */
export function decodeWaitStatus(status: number): { exited: number } | { signaled: number } | { stopped: number } | { continued: true } {
  if (status === 0xffff) return { continued: true };
  if ((status & 0xff) === 0x7f) return { stopped: (status >> 8) & 0xff };
  if ((status & 0x7f) === 0) return { exited: (status >> 8) & 0xff };
  return { signaled: status & 0x7f };
}

/** One reply line of the executor as the outcome the model would write (`expect`). */
export function decodeReply(line: string): Expect {
  const [kind, a, b] = line.split(' ');
  switch (kind) {
    case 'ret':
      return { ret: Number(a) };
    case 'err':
      return { err: ERRNO_NAMES.get(Number(a)) ?? `E${a}` };
    case 'blocked':
      return { blocked: true };
    case 'str':
      return { ret: a === '-' ? '' : Buffer.from(a ?? '', 'hex').toString('utf8') };
    case 'wait':
      return { ret: { pid: Number(a), status: decodeWaitStatus(Number(b)) } };
    default:
      throw new RecordFailure(`executor: ${line}`);
  }
}

/** What the executor reported once its sandbox was up. */
export interface Sandbox {
  name: string;
  /** MAX_NUMNODES, measured by writing to the sandbox's mems (the model's possibleMems). */
  possibleMems: number;
  /** Sandboxes of dead executors removed before this one was created. */
  staleRemoved: number;
  /**
   * pid_max inside the sandbox's pid namespace (the model's pidMax), 0 when unknown: since Linux
   * 6.14 each pid namespace has its own, and a new one starts at PID_MAX_LIMIT.
   */
  pidMax: number;
}

/**
 * The executor process (executor/kreplay-exec.c) and its line protocol: one command line in,
 * one reply line out, strictly in turn.
 */
export class Executor {
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private dead = false;

  constructor(cpusetDir: string) {
    this.child = spawn(executorPath(), ['run', cpusetDir, String(process.pid)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => void (this.stderr += d.toString()));
    this.child.stdin?.on('error', () => undefined);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.dead = true;
        for (const w of this.waiting.splice(0)) {
          w.reject(new RecordFailure(`the executor ended (${signal ?? `status ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
        }
        resolve(code);
      });
      this.child.on('error', (e) => {
        this.dead = true;
        for (const w of this.waiting.splice(0)) w.reject(new RecordFailure(`cannot run the executor: ${e.message}`));
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private next(): Promise<string> {
    if (this.dead) return Promise.reject(new RecordFailure('the executor has ended'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Waits for the sandbox to be up. */
  async ready(): Promise<Sandbox> {
    const line = await this.next();
    const [kind, name, mems, stale, pidMax] = line.split(' ');
    if (kind !== 'ready') throw new RecordFailure(`executor: ${line}`);
    return { name: name ?? '', possibleMems: Number(mems), staleRemoved: Number(stale), pidMax: Number(pidMax ?? 0) || 0 };
  }

  /** Runs one command and returns its reply line. */
  async run(cmd: string): Promise<string> {
    const reply = this.next();
    this.child.stdin?.write(cmd + '\n');
    const line = await reply;
    if (line.startsWith('fatal ')) throw new RecordFailure(`executor: ${line.slice(6)}`);
    return line;
  }

  /** Ends the sandbox: the executor kills its namespace and removes its cgroups, then exits. */
  async close(): Promise<void> {
    if (!this.dead) this.child.stdin?.end();
    await this.exited;
  }

  /** The same on a signal: SIGTERM makes the executor clean up and exit. */
  async terminate(): Promise<void> {
    if (!this.dead) this.child.kill('SIGTERM');
    await this.exited;
  }
}
