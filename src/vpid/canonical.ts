import type { Json } from '../state/json.js';
import type { KernelState } from '../state/types.js';
import type { ImageTask, Vps, VpsImage } from './types.js';

/**
 * The VPID layer's part of the canonical state (reference: Determinism and the state): every VPS with its init, mode and sparse
 * mappings, and every checkpoint image in full — a later vps_restore reads all of it, so two
 * states with equal hashes restore the same. Entities are sorted by their key; image names are
 * user strings and appear only as values.
 */

const byNumber = (a: number, b: number): number => a - b;

function canonicalVps(vps: Vps): Json {
  const vpids = [...vps.vpidToPid.keys()].sort(byNumber);
  return {
    id: vps.id,
    init: vps.init,
    mode: vps.mode,
    mappings: vpids.map((vpid) => ({ vpid, pid: vps.vpidToPid.get(vpid) as number })),
  };
}

function canonicalImageTask(t: ImageTask): Json {
  return {
    vpid: t.vpid,
    parent: t.parent,
    pgid: t.pgid,
    sid: t.sid,
    state: t.state,
    exitStatus: t.exitStatus ? { ...t.exitStatus } : null,
    execd: t.execd,
    dispositions: t.dispositions.map(([sig, action]) => [sig, action]),
    caught: t.caught.map(([sig, n]) => [sig, n]),
    pending: [...t.pending],
    stopReport: t.stopReport,
    contReport: t.contReport,
    tracer: t.tracer,
    traced: [...t.traced],
    children: [...t.children],
    node: t.node,
    cgroups: t.cgroups.map(([h, path]) => [h, path]),
  };
}

function canonicalImage(image: VpsImage): Json {
  return { name: image.name, vps: image.vps, tasks: image.tasks.map(canonicalImageTask) };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function canonicalVpids(s: KernelState): { [key: string]: Json } {
  return {
    vpses: [...s.vpses.keys()].sort(byNumber).map((id) => canonicalVps(s.vpses.get(id) as Vps)),
    images: [...s.images.keys()].sort(byName).map((name) => canonicalImage(s.images.get(name) as VpsImage)),
  };
}
