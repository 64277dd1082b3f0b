import type { Handlers } from '../reducer/context.js';
import { sysExec } from './exec.js';
import { sysExit } from './exit.js';
import { sysFork } from './fork.js';
import { sysPtrace } from './ptrace.js';
import { sysGetpgid, sysGetpid, sysGetppid, sysGetsid, sysSetpgid, sysSetsid } from './sessions.js';
import { sysKill, sysSignal } from './signal.js';
import { sysWait } from './wait.js';

type ProcessOp = 'fork' | 'exit' | 'wait' | 'kill' | 'signal' | 'setpgid' | 'setsid' | 'getpid' | 'getppid' | 'getpgid' | 'getsid' | 'exec' | 'ptrace';

/** The process model's slice of the dispatch table (SPEC 5, seed 002 and 2.6.18 it hooks). */
export const PROCESS_HANDLERS: Handlers<ProcessOp> = {
  fork: sysFork,
  exit: sysExit,
  wait: sysWait,
  kill: sysKill,
  signal: sysSignal,
  setpgid: sysSetpgid,
  setsid: sysSetsid,
  getpid: sysGetpid,
  getppid: sysGetppid,
  getpgid: sysGetpgid,
  getsid: sysGetsid,
  exec: sysExec,
  ptrace: sysPtrace,
};
