import type { Handlers } from '../reducer/context.js';
import { err } from '../reducer/outcome.js';

const todo = () => err('ENOSYS');
export const VPS_HANDLERS: Handlers<'vps_create' | 'vps_enter' | 'vps_checkpoint' | 'vps_restore'> = {
  vps_create: todo, vps_enter: todo, vps_checkpoint: todo, vps_restore: todo,
};
