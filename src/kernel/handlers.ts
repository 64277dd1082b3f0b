import type { Handlers } from '../reducer/context.js';
import { err } from '../reducer/outcome.js';

type ProcessOp = 'fork' | 'exit' | 'wait' | 'kill' | 'signal' | 'setpgid' | 'setsid' | 'getpid' | 'getppid' | 'getpgid' | 'getsid' | 'exec' | 'ptrace';
const todo = () => err('ENOSYS');
export const PROCESS_HANDLERS: Handlers<ProcessOp> = {
  fork: todo, exit: todo, wait: todo, kill: todo, signal: todo, setpgid: todo, setsid: todo,
  getpid: todo, getppid: todo, getpgid: todo, getsid: todo, exec: todo, ptrace: todo,
};
