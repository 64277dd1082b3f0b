import type { ExitStatus } from '../state/task.js';
import type { ReasonArg, ReasonCode } from './reasons.js';

/** Every errno the model can return (reference: Operations). */
export const ERRNOS = [
  'EPERM', 'ENOENT', 'ESRCH', 'EIO', 'E2BIG', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EBUSY', 'EEXIST',
  'EINVAL', 'ENOSPC', 'ERANGE', 'ENOSYS', 'EOVERFLOW',
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

type Make<T> = (code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) => T;
const pack = (code: ReasonCode, ...args: (ReasonArg | undefined)[]): Reason => {
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return { code, args: args as ReasonArg[] };
};

/*
 * The carriers of a reason. Each keeps the code and up to four arguments (numbers or strings,
 * never live model objects) in private fields, which JSON, `expect` comparison, `--log`, the state
 * hash and structural equality never see; the sentence is built only when `reasonOf` is asked
 * for it, so a failing event costs one object. Three flat classes, not a common base: a derived
 * class's construction costs several times a flat one's, and errors are frequent.
 */

class Failed implements ErrOutcome {
  err: Errno;
  declare calls?: string[];
  readonly #code: ReasonCode;
  readonly #a: ReasonArg | undefined;
  readonly #b: ReasonArg | undefined;
  readonly #c: ReasonArg | undefined;
  readonly #d: ReasonArg | undefined;
  constructor(e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) {
    this.err = e;
    this.#code = code;
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }
  static reason(x: object): Reason | null {
    return #code in x ? pack(x.#code, x.#a, x.#b, x.#c, x.#d) : null;
  }
  static code(x: object): ReasonCode | null {
    return #code in x ? x.#code : null;
  }
  static pass<T>(x: Failed, make: Make<T>): T {
    return make(x.#code, x.#a, x.#b, x.#c, x.#d);
  }
}

class Blocked implements BlockedOutcome {
  readonly blocked = true as const;
  readonly #code: ReasonCode;
  readonly #a: ReasonArg | undefined;
  readonly #b: ReasonArg | undefined;
  constructor(code: ReasonCode, a?: ReasonArg, b?: ReasonArg) {
    this.#code = code;
    this.#a = a;
    this.#b = b;
  }
  static reason(x: object): Reason | null {
    return #code in x ? pack(x.#code, x.#a, x.#b) : null;
  }
  static code(x: object): ReasonCode | null {
    return #code in x ? x.#code : null;
  }
}

class FailedResult {
  readonly ok = false as const;
  err: Errno;
  readonly #code: ReasonCode;
  readonly #a: ReasonArg | undefined;
  readonly #b: ReasonArg | undefined;
  readonly #c: ReasonArg | undefined;
  readonly #d: ReasonArg | undefined;
  constructor(e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg) {
    this.err = e;
    this.#code = code;
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }
  static reason(x: object): Reason | null {
    return #code in x ? pack(x.#code, x.#a, x.#b, x.#c, x.#d) : null;
  }
  static pass<T>(x: FailedResult, make: Make<T>): T {
    return make(x.#code, x.#a, x.#b, x.#c, x.#d);
  }
}

/** A failed event: errno `e` because of reason `code` with its arguments (see REASONS). */
export const err = (e: Errno, code: ReasonCode, a?: ReasonArg, b?: ReasonArg, c?: ReasonArg, d?: ReasonArg): ErrOutcome => new Failed(e, code, a, b, c, d);
/** A blocked event, with its reason (at most two arguments). */
export const blocked = (code: ReasonCode, a?: ReasonArg, b?: ReasonArg): BlockedOutcome => new Blocked(code, a, b);

/** The reason an outcome (or a failed Result) carries; null for a success or an outcome made without one. */
export const reasonOf = (o: object): Reason | null => Failed.reason(o) ?? Blocked.reason(o) ?? FailedResult.reason(o);

/** The reason code an outcome carries, without its arguments (what branch coverage counts after every event); null for a success or an outcome made without one. */
export const reasonCodeOf = (o: Outcome): ReasonCode | null => Failed.code(o) ?? Blocked.code(o);

/**
 * Whether `x` is one of the reason carriers above: objects of a class of their own whose JSON
 * text is exactly their public fields (no toJSON), so they survive JSON as plain objects do.
 */
export const carriesReason = (x: object): boolean => x instanceof Failed || x instanceof Blocked || x instanceof FailedResult;

/** Whether `x` is a failed Result (checks that return a value or a failure). */
export const isFailure = (x: object): x is Failure => (x as { ok?: unknown }).ok === false;

/** The failed Result `r` as an outcome, keeping its reason. */
export function errOf(r: Failure): ErrOutcome {
  return r instanceof FailedResult ? FailedResult.pass(r, (code, a, b, c, d) => new Failed(r.err, code, a, b, c, d)) : { err: r.err };
}

/** The failed outcome `o` as a failed Result, keeping its reason. */
export function failureOf(o: ErrOutcome): Failure {
  return o instanceof Failed ? Failed.pass(o, (code, a, b, c, d) => new FailedResult(o.err, code, a, b, c, d)) : { ok: false, err: o.err };
}

/** The failed outcome `o` with the callbacks `calls` run (config traceCallbacks), keeping its reason. */
export function withCalls(o: ErrOutcome, calls: string[]): ErrOutcome {
  if (!(o instanceof Failed)) return { ...o, calls };
  const out = Failed.pass(o, (code, a, b, c, d) => new Failed(o.err, code, a, b, c, d));
  out.calls = calls;
  return out;
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
