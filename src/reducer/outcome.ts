import type { ExitStatus } from '../state/task.js';
import type { ReasonArg, ReasonCode } from './reasons.js';

/** Every errno the model can return (reference: Operations). */
export const ERRNOS = [
  'EPERM', 'ENOENT', 'ESRCH', 'EIO', 'E2BIG', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EBUSY', 'EEXIST',
  'EINVAL', 'ENOSPC', 'ERANGE', 'ENOSYS',
] as const;
export type Errno = (typeof ERRNOS)[number];

/** Status reported by `wait` (reference: exit, wait). */
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
/** The result of applying one event (reference: Outcomes). */
export type Outcome = OkOutcome | ErrOutcome | BlockedOutcome;

export const ok = (ret: RetValue = 0): OkOutcome => ({ ret });

/** Why an `err` or `blocked` outcome happened: a code of REASONS (src/reducer/reasons.ts) and its arguments. */
export interface Reason {
  code: ReasonCode;
  args: ReasonArg[];
}

/**
 * Carries the reason of a failure without making it part of the failure's data: the code and up
 * to three arguments (numbers or strings, never live model objects) sit in private fields, which
 * JSON, `expect` comparison, `--log`, the state hash and structural equality never see. The
 * sentence is built only when `reasonOf` is asked for it, so a failing event costs one object.
 */
class Reasoned {
  readonly #code: ReasonCode;
  readonly #a: ReasonArg | undefined;
  readonly #b: ReasonArg | undefined;
  readonly #c: ReasonArg | undefined;
  readonly #d: ReasonArg | undefined;
  constructor(code: ReasonCode, a: ReasonArg | undefined, b: ReasonArg | undefined, c: ReasonArg | undefined, d: ReasonArg | undefined) {
    this.#code = code;
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }
  /** The reason `x` carries, or null (an outcome built by hand, e.g. from a trace's `expect`). */
  static of(x: object): Reason | null {
    if (!(#code in x)) return null;
    const args = [x.#a, x.#b, x.#c, x.#d];
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    return { code: x.#code, args: args as ReasonArg[] };
  }
  /** The same reason on another carrier. */
  static pass(from: Reasoned, to: (code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) => Reasoned): Reasoned {
    return to(from.#code, from.#a, from.#b, from.#c, from.#d);
  }
}

class Failed extends Reasoned implements ErrOutcome {
  err: Errno;
  calls?: string[];
  constructor(e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) {
    super(code, a, b, c, d);
    this.err = e;
  }
}

class Blocked extends Reasoned implements BlockedOutcome {
  readonly blocked = true as const;
}

class FailedResult extends Reasoned {
  readonly ok = false as const;
  err: Errno;
  constructor(e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) {
    super(code, a, b, c, d);
    this.err = e;
  }
}

/** A failed event: errno `e` because of reason `code` with its arguments (see REASONS). */
export const err = (e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg): ErrOutcome => new Failed(e, code, a, b, c, d);
/** A blocked event, with its reason. */
export const blocked = (code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg): BlockedOutcome => new Blocked(code, a, b, c, d);

/** The reason an outcome (or a failed Result) carries; null for a success or an outcome made without one. */
export const reasonOf = (o: object): Reason | null => Reasoned.of(o);

/** Whether `x` is a failed Result (checks that return a value or a failure). */
export const isFailure = (x: object): x is Failure => (x as { ok?: unknown }).ok === false;

/** The failed Result `r` as an outcome, keeping its reason. */
export function errOf(r: Failure): ErrOutcome {
  if (r instanceof Reasoned) return Reasoned.pass(r, (code, a, b, c, d) => new Failed(r.err, code, a, b, c, d)) as Failed;
  return { err: r.err };
}

/** The failed outcome `o` as a failed Result, keeping its reason. */
export function failureOf(o: ErrOutcome): Failure {
  if (o instanceof Reasoned) return Reasoned.pass(o, (code, a, b, c, d) => new FailedResult(o.err, code, a, b, c, d)) as FailedResult;
  return { ok: false, err: o.err };
}

/** The failed outcome `o` with the callbacks `calls` run (config traceCallbacks), keeping its reason. */
export function withCalls(o: ErrOutcome, calls: string[]): ErrOutcome {
  if (o instanceof Reasoned) {
    const out = Reasoned.pass(o, (code, a, b, c, d) => new Failed(o.err, code, a, b, c, d)) as Failed;
    out.calls = calls;
    return out;
  }
  return { ...o, calls };
}

export const isOk = (o: Outcome): o is OkOutcome => 'ret' in o;
export const isErr = (o: Outcome): o is ErrOutcome => 'err' in o;
export const isBlocked = (o: Outcome): o is BlockedOutcome => 'blocked' in o;

/** The outcome kind, as counted in `replay --json` (reference: Command line). */
export function outcomeKind(o: Outcome): 'ret' | 'err' | 'blocked' {
  return isOk(o) ? 'ret' : isErr(o) ? 'err' : 'blocked';
}

/** A failed Result: the errno and (through `reasonOf`) its reason. */
export interface Failure {
  ok: false;
  err: Errno;
}
/** Either a value or an errno: what internal helpers that can fail return instead of throwing. */
export type Result<T> = { ok: true; value: T } | Failure;
export const success = <T>(value: T): Result<T> => ({ ok: true, value });
/** A failed Result: errno `e` because of reason `code` (see REASONS). */
export const failure = (e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg): Failure => new FailedResult(e, code, a, b, c, d);
