import type { CgroupSubsys } from './subsys.js';
import { SUBSYSTEMS } from './subsystems/index.js';

/**
 * The plugin of a registered slot (the registry is the only way the core reaches a subsystem).
 * Not in world.ts: the plugins use world.ts's tree helpers, so world.ts must not import them.
 */
export function pluginOf(name: string): CgroupSubsys {
  const p = SUBSYSTEMS.get(name);
  if (!p) throw new Error(`internal: subsystem ${name} has no plugin`);
  return p;
}
