import type { Json } from '../state/json.js';
import type { KernelState } from '../state/types.js';

/** The VPID layer's part of the canonical state: VPSs with their mappings, and checkpoint images. */
export function canonicalVpids(s: KernelState): { [key: string]: Json } {
  void s;
  return { vpses: [], images: [] };
}
