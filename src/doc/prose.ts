/**
 * The hand-written parts of docs/reference.md: what the registry and the schemas cannot say
 * (the trace format's rules, what outcomes mean, the modelling choices). Everything listed per op,
 * per signal, per invariant or per state field is derived (src/doc/reference.ts).
 */

export const INTRO = `# kreplay reference

Everything needed to write and read a kreplay trace: the file format, what an event's outcome
means, every operation with its arguments, return value and errors in the order they are checked,
the reason codes that explain failures, the signal numbers, the semantic versions, the state's
shape, and the invariants. The per-op sections, tables and lists are generated from the op
registry (\`src/reducer/registry.ts\`), the JSON Schemas (\`schemas/\`), the invariants and the
bundled traces by \`npm run gen:reference\`; a test fails when this file is stale. Do not edit it
by hand. \`kreplay ops [op]\` prints the same per-op sections in a terminal.

Choices made where the kernel sources leave room are in [semantics.md](semantics.md); how the
semantic versions differ, and why, is in [versions.md](versions.md).

Notation: the *caller* is the task named by an event's \`by\`. A task's *view* is how it sees pid
numbers: virtual pids inside a VPS, the numbers of its pid namespace inside one (linux-6), global
pids on the host. \`by\` always names a task by its global pid. Errno names are strings such as
\`"EPERM"\`.`;

export const TRACES = `## Traces

### JSON traces

\`\`\`json
{
  "kreplay": 1,
  "semantics": "cgroups-2009",
  "config": { "cpus": 4, "mems": 2, "nodes": 2 },
  "events": [
    { "op": "fork", "by": 1, "expect": { "ret": 2 } },
    { "op": "mkdir", "by": 1, "hierarchy": "cpu", "path": "/a", "expect": { "err": "ENOENT" } }
  ]
}
\`\`\`

- \`kreplay\` (required) is the format version, always \`1\`.
- \`semantics\` (optional) names a semantic version (see [Semantic versions](#semantic-versions));
  the default is \`cgroups-2009\`. \`--semantics\` on the command line overrides it.
- \`config\` (optional) overrides some of the version's defaults (see [Config](#config)). An
  unknown key is an error.
- \`note\` (optional) is free text.
- \`events\` (required) are applied in order, starting from the boot state.

### NDJSON traces

A file ending in \`.ndjson\` or \`.jsonl\` holds the header (every field above but \`events\`) on
its first line and one event per following line; blank lines are skipped. kreplay reads such a
file as a stream, so a replay needs memory for the model's state, not for the trace.

### Events

Every event is an object with \`op\` and the op's arguments (listed per op below). Every op a task
performs also has \`by\`, the caller's **global** pid, as \`strace -f\` on the host would show it;
the other arguments and the results are in the caller's view. Environment events (a node or cpu
failing, a fault being injected) have no \`by\`. Optional on every event:

- \`expect\`: the outcome recorded for it (see [Outcomes](#outcomes)). When replay computes a
  different one, that is a *divergence*. Leave it out and \`kreplay replay --log FILE\` writes the
  trace back with every outcome filled in.
- \`note\` (text) and \`t\` (a timestamp): ignored.

A field the schema does not know is an error, so a typo never passes silently. A trace that is not
well-formed is rejected before anything runs, with the event's index and JSON path. Numbers out of
the kernel's range are not schema errors but outcomes: \`sig: 99\` is \`EINVAL\`, \`vps: 0\` is
\`EINVAL\`, and \`exit\`'s \`code\` keeps its low 8 bits. Names such as \`__proto__\` or
\`constructor\` (cgroup names, image names) are ordinary names.

### Boot state

Before the first event: task 1 (global init) runs on node 0 with pgid 1 and sid 1, in the root
cgroup of every hierarchy; the pid allocator's \`last\` is 1; the configured cpus, memory nodes
and cluster nodes are online; the builtin subsystems are registered with ids 0, 1, ... in order
(bound to the one \`container\` hierarchy in \`containers-2006\`, to the unmounted dummy root in
\`cgroups-2009\`); no VPS exists.`;

export const OUTCOMES = `## Outcomes

Applying an event gives exactly one outcome:

- \`{"ret": value}\`: success. \`value\` is what the call returns, in the caller's view; each op's
  section says what. Calls with nothing to return give \`0\`.
- \`{"err": "EXXX"}\`: the call failed. **A failed call changes nothing**: the state after it is
  the state before it. kreplay knows two exceptions, both the kernel's own: a \`fork\` that fails
  after a pid was allocated leaves the allocator's \`last\` at that pid, and a VPS that
  \`alloc_vpid\` switched to sparse mode stays sparse. A failure caused by \`inject\` also uses up
  that injection.
- \`{"blocked": true}\`: the call would sleep (a \`wait\` without \`nohang\` and nothing to report,
  or any call by a stopped task). Nothing changes.

Before an op's own checks, the caller is looked up: an event whose \`by\` names no task, or a
zombie, fails with \`ESRCH\`; a stopped caller cannot run, so its event is \`{"blocked": true}\`.
An op's errors are then checked in the order its section lists them, and the first that applies
is the outcome.

An outcome may carry extra fields: \`released\`, the cgroups (as \`hierarchy:path\`) that became
empty with \`notify_on_release\` set, in the order they did; and \`calls\`, the subsystem callbacks
run, in order (only with the config \`traceCallbacks\`), e.g. \`"cpuset.create"\` or
\`"faulty.can_attach!ENOMEM"\` for one that failed. \`expect\` compares \`ret\`, \`err\` and
\`blocked\`, and compares \`released\` and \`calls\` only when it lists them (an absent list
equals \`[]\`).

### Reasons

Every \`err\` and \`blocked\` outcome also carries a *reason*: a short code naming the rule that
decided it, its arguments (the objects involved, as the event or the state had them), and a
sentence built from both. \`kreplay replay\` prints the sentence under each divergence and, with
\`--explain\`, under every failed or blocked event; \`--json\` gives it as a separate \`reason\`
field, \`{"code", "args", "text"}\`. Reasons are an explanation, not part of the outcome:
\`expect\` never compares them, \`--log\` never writes them, and the state hash never includes
them. The codes are listed in [Reason codes](#reason-codes).`;

export const DETERMINISM = `## Determinism and the state

Replaying a trace under a version always gives the same outcomes and the same state. The state
has one canonical JSON form (keys sorted, sets as sorted arrays, entities as arrays sorted by their
key) and a hash of it, \`sha256:<hex>\`, which \`replay\` prints. The canonical state is complete:
everything that can change a later outcome is in it (the allocator's \`last\`, unreported stops and
continues, pending signals, dispositions, pending injections, checkpoint images, css_sets), so two
states with the same hash behave alike from then on. It has one shape under every version (what a
version lacks is empty), so states of two versions compare field by field (\`kreplay diff\`).
\`replay --state-out FILE\` writes it; the fields are listed in [State](#state).`;

export const SIMPLIFICATIONS = `## Modelling simplifications

What kreplay leaves out or fixes, so that traces stay small and outcomes deterministic:

- Every task runs as uid 0: no permission checks beyond the namespace rules of each op.
- Signals are delivered at once, in ascending global pid order for a group. ptrace does not
  intercept delivery; a tracee's stops are reportable to its tracer.
- Global init ignores every signal whose disposition is \`default\`; a VPS init does too, except
  SIGKILL and SIGSTOP sent from the host.
- A caught signal is counted, nothing else; SIGCONT resumes a stopped task whatever its
  disposition. SIGTSTP, SIGTTIN and SIGTTOU with the default action are discarded for a member of
  an orphaned process group.
- A process group is *orphaned* when no member, leaving out zombies and members whose parent is
  global init, has a parent in another process group of the same session. When an exit orphans a
  process group that has a stopped member, the group gets SIGHUP and then SIGCONT.
- A zombie is reaped at once when its parent is global init and \`initReaps\` is set, or when its
  parent ignores SIGCHLD. A zombie traced by a task other than its parent is never reaped
  automatically.
- \`write\` returns 0, not a byte count. \`read\` of a cpuset's effective cpus is not modelled;
  effective cpus and mems are part of the state and of the invariants.
- Pids are allocated as 2.6.18's \`alloc_pidmap\` does: the next free number after \`last\`,
  wrapping from \`pidMax\` to \`reservedPids\`, and (with \`pidVirt: "vpid"\`) skipping numbers with
  bit 1024 set, which only virtual pids carry. A number is in use while any task, zombies included,
  has it as pid, pgid or sid.
- Inside a VPS, a number with bit 1024 set (or 1) is a virtual pid; any other number is global. A
  number the caller cannot see names nothing: \`kill\` and the getters give \`ESRCH\`, \`wait\`
  \`ECHILD\`, \`setpgid\` \`ESRCH\` for its target and \`EPERM\` for its pgid. Results show a global
  number as its vpid when the caller's VPS maps it, and as is otherwise.
- Pid namespaces (linux-6; see [versions.md](versions.md#pid-namespaces-under-linux-6)): the
  root namespace, at level \`rootPidNsLevel\`, numbers every task with its global pid; a task
  forked into a namespace below it (after \`unshare {flags: ["newpid"]}\`, \`setns\`, or with
  \`fork {newpid}\`) also has a number at every level down to its own, the first one there being
  1, its init. A caller in a namespace sees the tasks it numbers, under those numbers, and 0 for
  a parent, pgid or sid outside it; other numbers name nothing (\`ESRCH\`). Its init ignores the
  signals it has no handler for unless SIGKILL or SIGSTOP comes from an ancestor namespace, adopts
  the namespace's orphans, and when it exits every other task of the namespace is killed, no task
  may join (\`ENOMEM\`), and its zombie is reported only once they are all reaped.
- Cluster nodes run tasks, nothing else: a \`migrate\` that succeeds and an \`rfork\` (\`fork\`
  with \`node\`) change no other event's outcome (location transparency, checked by fuzzing).
- Threads (\`clone_thread\`, \`gettid\`, \`exit_thread\`): a process is its leader's task; every
  other thread is a task of its own with \`tgid\` naming the leader, its own tid and its own
  cgroups (\`tasks\` lists tids, \`cgroup.procs\` each tgid once), and nothing else. A thread
  calls as its process (\`getpid\` is the tgid, \`fork\` makes a child of the process, \`wait\`
  waits for the process's children, dispositions and stops are the process's), and a pid naming a
  thread names its process for \`kill\`, the getters, \`ptrace\` and \`migrate\` (\`setpgid\` of
  a non-leader thread is \`EINVAL\`). \`exit\` is \`exit_group\`: every thread ends, as with a
  fatal signal or \`exec\` (\`de_thread\`). \`exit_thread\` ends one thread; when the leader's
  thread goes first, the process lives on without it (its pid as a caller is \`ESRCH\`, it is in
  neither list, it stays counted in its cgroups) and \`wait\` reports the process, with the
  leader's status, once the last thread is gone (\`delay_group_leader\`). ptrace links belong to
  the process. Threads inside a VPS are not modelled (\`clone_thread\` there is \`EINVAL\`).
- Child subreapers (\`prctl\`, \`linux-6\` only): an exiting process's children go to its
  nearest live ancestor marked a subreaper, else to the child reaper; the mark is not inherited.`;

export const CLI = `## Command line

\`\`\`
kreplay replay <trace...>   [--semantics NAME] [--at N] [--json] [--explain] [--log FILE] [--state-out FILE] [--no-invariants]
kreplay fuzz                [--runs N] [--seed S] [--max-events N] [--semantics NAME] [--faults] [--out FILE] [--json]
kreplay fuzz --against-kernel [--runs N] [--seed S] [--max-events N] [--out FILE] [--json]   (root: docs/fuzzing.md)
kreplay diff <a> <b>        [--at N] [--semantics-a NAME] [--semantics-b NAME] [--first-divergence] [--json]
kreplay validate <trace...> [--json]
kreplay invariants          [--json]
kreplay ops [op]            [--json]
\`\`\`

Exit status: 0 all good; 1 a divergence, violation or property failure was found; 2 bad input
(unreadable file, invalid JSON with its line and column, a schema error, a bad flag); 3 an
internal error.

\`replay --json\` prints one object per trace:

\`\`\`json
{ "trace": "traces/x.json", "semantics": "cgroups-2009", "events": 42,
  "outcomes": { "ret": 38, "err": 4, "blocked": 0 },
  "divergences": [ { "index": 7, "op": "write", "expected": {"err": "EACCES"}, "actual": {"ret": 0} } ],
  "violations": [ { "index": 9, "invariant": "cpuset-subset", "message": "..." } ],
  "stateHash": "sha256:..." }
\`\`\`

\`index\` is 1-based (0 is the boot state). A divergence whose actual outcome failed or blocked
has a \`reason\` too; with \`--explain\` an \`explain\` array lists every event with its outcome
and reason.`;
