import type { ReasonTable } from '../reducer/reason-def.js';

/** Why a pid-namespace rule refused an op (docs/reference.md, "Reason codes"); pids as the event gave them. */
export const PIDNS_REASONS = {
  'unshare-flag-unknown': { outcome: 'EINVAL', args: ['flag'], text: (f) => `this kernel's sys_unshare does not know the flag ${f} (2.6.18: CLONE_NEWPID came in 2.6.24)` },
  'setns-none': { outcome: 'ENOSYS', args: [], text: () => 'this kernel has no setns (2.6.18; setns came in 3.0, pid namespaces in 2.6.24)' },
  'pidns-for-children-differs': { outcome: 'EINVAL', args: ['caller'], text: (c) => `caller ${c}'s pid_for_children is not its active pid namespace (it already unshared or entered one: copy_pid_ns)` },
  'pidns-too-deep': { outcome: 'ENOSPC', args: ['level'], text: (l) => `a new pid namespace would be at level ${l}, beyond MAX_PID_NS_LEVEL 32 (create_pid_namespace)` },
  'fork-pid-no-init': { outcome: 'EINVAL', args: ['pid'], text: (p) => `forced number ${p} in a pid namespace that has no init yet: only 1 can be asked for there (alloc_pid)` },
  'setns-thread': { outcome: 'ENOENT', args: ['pid'], text: (p) => `pid ${p} is a thread other than its process's leader: pidfd_open takes processes only (pidfd_prepare)` },
  'pidns-dead': { outcome: 'ENOMEM', args: ['ns'], text: (n) => `pid namespace ${n} lost its init, so no task can be added to it (alloc_pid: PIDNS_ADDING is clear)` },
  'setns-pid-invalid': { outcome: 'EINVAL', args: ['pid'], text: (p) => `pid ${p} is not positive (pidfd_open)` },
  'setns-zombie': { outcome: 'ESRCH', args: ['pid'], text: (p) => `pid ${p} has exited, so it has no namespaces to enter (validate_nsset)` },
} satisfies ReasonTable;
