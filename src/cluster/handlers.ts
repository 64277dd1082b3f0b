import type { Handlers } from '../reducer/context.js';
import { err } from '../reducer/outcome.js';

const todo = () => err('ENOSYS');
export const CLUSTER_HANDLERS: Handlers<'node_down' | 'node_up' | 'migrate'> = { node_down: todo, node_up: todo, migrate: todo };
