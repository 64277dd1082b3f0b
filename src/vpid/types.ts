/** A VPS (OpenVZ `vps_info_t`, seed 004). */
export interface Vps {
  id: number;
  /** Global pid of its init (vpid 1). */
  init: number;
  /** `linear`: vpid = pid + VPID_DIV; `sparse`: the hash mapping below (switch_to_sparse_mapping). */
  mode: 'linear' | 'sparse';
  /** Sparse mappings: vpid -> global number, and back. Empty in linear mode. */
  vpidToPid: Map<number, number>;
  pidToVpid: Map<number, number>;
}

/** One task of a checkpoint image (reference: vps_restore), numbers as vpids of the VPS. */
export interface ImageTask {
  vpid: number;
  /** Parent's vpid; 0 when the parent was outside the VPS. */
  parent: number;
  pgid: number;
  sid: number;
  state: 'running' | 'stopped' | 'zombie';
  exitStatus: { exited: number } | { signaled: number } | null;
  execd: boolean;
  dispositions: [number, 'ignore' | 'catch'][];
  caught: [number, number][];
  pending: number[];
  stopReport: number;
  contReport: boolean;
  /** Tracer's vpid, 0 when none or outside the VPS. */
  tracer: number;
  /** Vpids of the tasks of the VPS it traces, in attach order (ptrace links inside the VPS). */
  traced: number[];
  /** Vpids of its children in the VPS, in child order (the order `wait` walks them). */
  children: number[];
  node: number;
  /** Hierarchy name -> cgroup path. */
  cgroups: [string, string][];
}

export interface VpsImage {
  name: string;
  vps: number;
  tasks: ImageTask[];
}

/** VPID_BIT / VPID_DIV (seed 004 include/linux/pid.h): virtual pids have bit 10 set. */
export const VPID_BIT = 10;
export const VPID_DIV = 1 << VPID_BIT;
