import type { ExitStatus } from '../state/task.js';

/** Every errno the model can return (SPEC 4–8). */
export const ERRNOS = [
  'EPERM', 'ENOENT', 'ESRCH', 'EIO', 'E2BIG', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EBUSY', 'EEXIST',
  'EINVAL', 'ENOSPC', 'ERANGE', 'ENOSYS', 'EOVERFLOW',
] as const;
export type Errno = (typeof ERRNOS)[number];

/** Status reported by `wait` (SPEC 5.3, 5.4). */
export type WaitStatus = ExitStatus | { stopped: number } | { continued: true };
export interface WaitReport {
  pid: number;
  status: WaitStatus;
}
export type RetValue = number | string | WaitReport;

export interface OkOutcome {
  ret: RetValue;
  /** cgroups (`hierarchy:path`) that became empty with notify_on_release set, in the order they did. */
  released?: string[];
  /** subsystem callbacks run, in order (config `traceCallbacks`). */
  calls?: string[];
}
export interface ErrOutcome {
  err: Errno;
  calls?: string[];
}
export interface BlockedOutcome {
  blocked: true;
}
/** The result of applying one event (SPEC 1.4). */
export type Outcome = OkOutcome | ErrOutcome | BlockedOutcome;

export const ok = (ret: RetValue = 0): OkOutcome => ({ ret });
export const err = (e: Errno): ErrOutcome => ({ err: e });
export const blocked = (): BlockedOutcome => ({ blocked: true });

export const isOk = (o: Outcome): o is OkOutcome => 'ret' in o;
export const isErr = (o: Outcome): o is ErrOutcome => 'err' in o;
export const isBlocked = (o: Outcome): o is BlockedOutcome => 'blocked' in o;

/** The outcome kind, as counted in `replay --json` (SPEC 10.1). */
export function outcomeKind(o: Outcome): 'ret' | 'err' | 'blocked' {
  return isOk(o) ? 'ret' : isErr(o) ? 'err' : 'blocked';
}

/** Either a value or an errno: what internal helpers that can fail return instead of throwing. */
export type Result<T> = { ok: true; value: T } | { ok: false; err: Errno };
export const success = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = <T = never>(e: Errno): Result<T> => ({ ok: false, err: e });
