import type { Handlers } from '../reducer/context.js';
import { sysVpsCheckpoint } from './checkpoint.js';
import { sysVpsRestore } from './restore.js';
import { sysVpsCreate, sysVpsEnter } from './vps.js';

/** The VPID layer's slice of the dispatch table (SPEC 8). */
export const VPS_HANDLERS: Handlers<'vps_create' | 'vps_enter' | 'vps_checkpoint' | 'vps_restore'> = {
  vps_create: sysVpsCreate,
  vps_enter: sysVpsEnter,
  vps_checkpoint: sysVpsCheckpoint,
  vps_restore: sysVpsRestore,
};
