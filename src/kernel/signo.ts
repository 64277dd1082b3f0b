/** Signal numbers and default actions the model knows (reference: Signals, x86 numbering). */
export const SIGHUP = 1;
export const SIGKILL = 9;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGWINCH = 28;
/** `_NSIG`: valid signals are 1..NSIG (0 only probes). */
export const NSIG = 64;

export type DefaultAction = 'terminate' | 'stop' | 'continue' | 'ignore';

/** The default action of `sig` (2.6.18 `sig_kernel_{stop,ignore,only}` masks, reduced to reference: Signals). */
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
      return 'stop';
    case SIGCONT:
      return 'continue';
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
      return 'ignore';
    default:
      return 'terminate';
  }
}

/** `valid_signal` plus 0 (the existence probe). */
export const isValidSignal = (sig: number): boolean => Number.isInteger(sig) && sig >= 0 && sig <= NSIG;

/** SIGKILL and SIGSTOP cannot be caught or ignored (`sig_kernel_only`). */
export const isUncatchable = (sig: number): boolean => sig === SIGKILL || sig === SIGSTOP;
