import { BadInputError } from '../errors.js';
import type { Event } from '../trace/schema-types.js';
import type { Config } from './config.js';
import type { SemanticVersion } from './versions.js';

/**
 * What a version's kernel has of the mechanisms that never reached mainline (OpenSSI's cluster,
 * seed 002; OpenVZ's virtual pids, seed 004). An operation of a missing mechanism fails with
 * ENOSYS, as a kernel answers a syscall it lacks (its handler checks `v.cluster` / `v.vps`); an
 * environment event or a configuration that cannot happen on that kernel is bad input.
 */

/** Why event `ev` cannot happen under `v` (an environment event of a missing mechanism), or null. */
export function impossibleEvent(v: SemanticVersion, ev: Event): string | null {
  if (!v.cluster && (ev.op === 'node_down' || ev.op === 'node_up')) {
    return `"${ev.op}" cannot happen under ${v.name}: it has no cluster nodes (OpenSSI never reached mainline)`;
  }
  return null;
}

/** Throws bad input when `config` asks `v` for a mechanism it lacks (more than one node, virtual pids). */
export function checkMechanisms(v: SemanticVersion, config: Config, where = 'config'): void {
  if (!v.cluster && config.nodes !== 1) throw new BadInputError(where, `nodes: ${v.name} has no cluster, so exactly 1 node (got ${config.nodes})`);
  if (!v.vps && config.pidVirt !== 'none') throw new BadInputError(where, `pidVirt: ${v.name} has no OpenVZ virtual pids, so "none" (got "${config.pidVirt}")`);
}
