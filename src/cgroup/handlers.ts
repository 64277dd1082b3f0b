import type { Handlers } from '../reducer/context.js';
import { err } from '../reducer/outcome.js';
import { sysInject } from './inject.js';

type CgroupOp = 'mkdir' | 'rmdir' | 'attach' | 'write' | 'read' | 'register_subsys' | 'mount' | 'umount' | 'load_subsys' | 'unload_subsys' | 'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up' | 'inject';
const todo = () => err('ENOSYS');
export const CGROUP_HANDLERS: Handlers<CgroupOp> = {
  mkdir: todo, rmdir: todo, attach: todo, write: todo, read: todo, register_subsys: todo, mount: todo, umount: todo,
  load_subsys: todo, unload_subsys: todo, cpu_down: todo, cpu_up: todo, mem_down: todo, mem_up: todo, inject: sysInject,
};
