import { applyEvent } from '../reducer/apply.js';
import type { Outcome } from '../reducer/outcome.js';
import { resolveConfig } from '../semantics/config.js';
import { DEFAULT_SEMANTICS, getVersion, type SemanticVersion } from '../semantics/versions.js';
import { boot } from '../state/boot.js';
import type { KernelState } from '../state/types.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';

/** A booted kernel: the state and the version whose rules it follows. */
export interface Kernel {
  s: KernelState;
  v: SemanticVersion;
}

/** Boots the kernel a trace header describes; `semantics` overrides the header's (SPEC 10). */
export function bootKernel(header: Pick<TraceHeader, 'semantics' | 'config'>, semantics?: string): Kernel {
  const v = getVersion(semantics ?? header.semantics ?? DEFAULT_SEMANTICS);
  return { v, s: boot(v, resolveConfig(v.defaults, header.config)) };
}

export function step(k: Kernel, ev: Event): Outcome {
  return applyEvent(k.s, k.v, ev);
}
