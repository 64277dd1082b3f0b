import { BadInputError } from '../errors.js';
import type { ConfigOverrides, Event } from '../trace/schema-types.js';
import { type Config, resolveConfig } from './config.js';
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

/**
 * `overrides` without what `v` cannot have (a cluster, virtual pids), and with no more cpus or
 * nodes than its kernel can have (linux-6: nr_cpu_ids is the machine's): a config preset meant for
 * any version, made one `v` boots with.
 */
export function fitOverrides(v: SemanticVersion, overrides: ConfigOverrides): ConfigOverrides {
  const out: ConfigOverrides = { ...overrides };
  if (!v.cluster) delete out.nodes;
  if (!v.vps) delete out.pidVirt;
  const possibleCpus = out.possibleCpus ?? v.defaults.possibleCpus;
  const possibleMems = out.possibleMems ?? v.defaults.possibleMems;
  if (out.cpus !== undefined && out.cpus > possibleCpus) out.cpus = possibleCpus;
  if (out.mems !== undefined && out.mems > possibleMems) out.mems = possibleMems;
  return out;
}

/**
 * Whether `header` boots `a` and `b` with the same configuration, subsystem slots and builtins
 * aside (every op they matter to has the `registration` or `hierarchies` rule): version agreement
 * (reference: Invariants and postconditions) compares only such versions, as their defaults (online cpus, pid virtualization)
 * decide outcomes no op's rules name.
 */
export function bootsAlike(overrides: ConfigOverrides | undefined, a: SemanticVersion, b: SemanticVersion): boolean {
  const resolve = (v: SemanticVersion): string | null => {
    try {
      const c = resolveConfig(v.defaults, overrides);
      checkMechanisms(v, c);
      return JSON.stringify({ ...c, builtinSubsystems: [], subsysSlots: 0 });
    } catch (e) {
      if (e instanceof BadInputError) return null;
      throw e;
    }
  };
  const ra = resolve(a);
  return ra !== null && ra === resolve(b);
}
