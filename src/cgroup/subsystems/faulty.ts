import { success } from '../../reducer/outcome.js';
import type { CgroupSubsys } from '../subsys.js';

/**
 * A test subsystem (reference: mkdir): every callback and no files. It never fails by itself; `inject`
 * makes its `create` / `can_attach` fail, so fuzzing can prove failure paths unwind (reference: inject).
 */
export const faultySubsys: CgroupSubsys = {
  name: 'faulty',
  create: () => success(null),
  destroy: () => {},
  canAttach: () => null,
  attach: () => {},
  postAttach: () => {},
  bind: () => {},
  canonical: () => null,
};
