/*
 * kreplay-exec: the recorder's executor (docs/recording.md). `kreplay record` runs it as root and
 * drives it over stdin/stdout with one line per command; it runs each event of a trace as a real
 * system call made by a real process, and answers with what the kernel returned.
 *
 * Sandbox:
 *   - a private cgroup v1 cpuset directory `kreplay-<executor pid>-<random>` under the mounted
 *     cpuset hierarchy (the directory `kreplay record` names), its cpus/mems copied from its
 *     parent; it plays the model's cpuset root, and every trace path is mapped under it;
 *   - a new pid namespace whose init (pid 1) is the model's task 1; every task the trace forks
 *     is a real child process, so the kernel hands out the model's pid numbers 1, 2, 3, ...
 * Nothing outside the sandbox directory is ever written. Lifetime: the executor dies with
 * its parent (PR_SET_PDEATHSIG: SIGTERM, which it catches to clean up), init dies with the
 * executor (PR_SET_PDEATHSIG: SIGKILL) and takes the whole namespace with it, and the cgroup
 * directories are removed depth-first on every exit path the executor lives through. A sandbox
 * whose executor was killed outright is removed by the next run (its owner pid is in its name).
 *
 * Tasks wait for commands on a futex in a shared memfd mapping (inherited by fork, re-mapped
 * after exec) and answer through one shared pipe. Outcomes never depend on a timer: a caller
 * in a stop is answered `blocked` from /proc/PID/stat; a `wait` runs with WNOHANG and an empty
 * report of a call that may block is `blocked`; after each command the executor polls until
 * every task is idle, stopped or dead ("settled"), so the next command sees a quiet kernel.
 *
 * Protocol (one line each way; strings are hex): see docs/recording.md and src/record/executor.ts.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLOTS 4096
#define DATA_MAX (1 << 20)
#define PATH_MAXLEN 4096

enum op {
  OP_FORK = 1, OP_EXIT, OP_WAIT, OP_KILL, OP_SIGNAL, OP_SETPGID, OP_SETSID, OP_GETPID, OP_GETPPID,
  OP_GETPGID, OP_GETSID, OP_EXEC, OP_PTRACE, OP_MKDIR, OP_RMDIR, OP_WRITE, OP_READ, OP_PROC,
  OP_UNSHARE, OP_SETNS, OP_PRCTL, OP_GETTID, OP_THREAD, OP_EXIT_THREAD, OP_SETAFFINITY, OP_GETAFFINITY,
};

struct slot {
  _Atomic uint32_t go;   /* bumped by the executor to hand the task a command (futex word) */
  _Atomic uint32_t idle; /* 1 while the task waits for a command */
  int32_t hostpid;       /* as the executor's /proc sees it */
  int32_t nspid;         /* in the sandbox namespace: the model's pid, whatever namespace below it the task is in */
  int32_t tid;           /* a thread's id in its own pid namespace, as gettid() returns it to its process */
  int64_t ret;           /* the answer to the last command */
  int32_t err;
  uint32_t outlen;
};

struct shared {
  /* The command, written by the executor before it bumps a slot's `go`. */
  int32_t op;
  int64_t a[4];
  uint32_t len[3];           /* the string arguments, one after another in data */
  char root[PATH_MAXLEN];    /* the sandbox directory */
  int64_t pid_max;           /* pid_max as init, inside the sandbox's pid namespace, reads it */
  char data[DATA_MAX];       /* string arguments in, a read's text out */
  struct slot slots[MAX_SLOTS];
};

/* One record on the reply pipe: a task finished command `go` (0: a new task is ready). */
struct reply {
  uint32_t slot;
  uint32_t go;
};

static struct shared *sh;
static int replyfd_w = -1;

/* ---- helpers shared by both sides ---- */

static long futex(_Atomic uint32_t *w, int op, uint32_t val) {
  return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

static int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The calling thread's host tid: /proc/thread-self is "PID/task/TID" in the host's /proc. */
static int host_tid_self(void) {
  char buf[64];
  ssize_t n = readlink("/proc/thread-self", buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *t = strrchr(buf, '/');
  return t ? atoi(t + 1) : -1;
}

static int host_pid_self(void) {
  char buf[32];
  ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = 0;
  return atoi(buf);
}

/* ---- the task side: runs inside the sandbox namespace ---- */

struct ksigaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  uint64_t mask;
};

static unsigned long restorer_flags; /* SA_RESTORER where the architecture needs it */
static void *restorer_fn;
static volatile sig_atomic_t caught_count;

static void on_caught(int sig) {
  (void)sig;
  caught_count++;
}

/* Learns the signal-return trampoline libc installs, so that rt_sigaction can be called raw
 * for every signal 1..64 (libc refuses the two it reserves for itself). */
static void learn_restorer(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_caught;
  sigaction(SIGURG, &sa, &old);
  struct ksigaction k;
  if (syscall(SYS_rt_sigaction, SIGURG, NULL, &k, 8) == 0) {
    restorer_flags = k.flags & 0x04000000UL; /* SA_RESTORER */
    restorer_fn = k.restorer;
  }
  sigaction(SIGURG, &old, NULL);
}

/* The disposition the model's `signal {sig, action}` asks for; pid 1 always reaps its children
 * at once (SA_NOCLDWAIT), as the model's global init does (initReaps). */
static int set_disposition(int sig, int action) {
  struct ksigaction k;
  memset(&k, 0, sizeof k);
  k.handler = action == 1 ? (void *)SIG_IGN : action == 2 ? (void *)on_caught : (void *)SIG_DFL;
  k.flags = restorer_flags | SA_RESTART;
  k.restorer = restorer_fn;
  if (sig == SIGCHLD && getpid() == 1) k.flags |= SA_NOCLDWAIT;
  return (int)syscall(SYS_rt_sigaction, sig, &k, NULL, 8);
}

static const char *arg_str(int i) {
  size_t off = 0;
  for (int j = 0; j < i; j++) off += sh->len[j] + 1;
  return sh->data + off;
}

/* Joins the sandbox root and a model path/file checked by the executor. */
static int sandbox_path(char *out, const char *path, const char *file) {
  return snprintf(out, PATH_MAXLEN, "%s%s%s%s", sh->root, strcmp(path, "/") == 0 ? "" : path, file ? "/" : "", file ? file : "") >= PATH_MAXLEN ? -1 : 0;
}

static void task_loop(int slot, uint32_t go_done) __attribute__((noreturn));

static void task_reply(int slot, uint32_t go) {
  struct reply r = {(uint32_t)slot, go};
  write_all(replyfd_w, &r, sizeof r);
}

/* The text of a small file such as /proc/PID/status, NUL-terminated: its length, or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  return n;
}

/* A task's or thread's id in the sandbox namespace: the second NSpid entry of `status` in the
 * executor's /proc (the first is the executor's namespace, the sandbox is one below it); `own`
 * (its id in its own namespace) when it has none. */
static int sandbox_id(const char *status, int own) {
  char buf[4096];
  if (read_text(status, buf, sizeof buf) < 0) return own;
  char *p = strstr(buf, "\nNSpid:");
  if (!p) return own;
  char *end = NULL;
  strtol(p + 7, &end, 10);
  long second = end ? strtol(end, &p, 10) : 0;
  return p != end && second > 0 ? (int)second : own;
}

static int sandbox_pid_self(void) { return sandbox_id("/proc/self/status", getpid()); }

static void task_start(int slot) {
  struct slot *me = &sh->slots[slot];
  me->hostpid = host_pid_self();
  me->nspid = sandbox_pid_self();
  atomic_store(&me->idle, 0);
}

/* A thread made by OP_THREAD (clone with CLONE_THREAD, through pthread_create): it takes its slot
 * and waits for commands like any task. */
static void *thread_main(void *arg) {
  int slot = (int)(intptr_t)arg;
  struct slot *me = &sh->slots[slot];
  me->hostpid = host_tid_self();
  atomic_store(&me->idle, 0);
  /* gettid() is the thread's id in its process's namespace, the answer clone_thread gives its
   * caller; the slot is found by its id in the sandbox namespace, the model's (a nested pid
   * namespace numbers the two differently). */
  int tid = (int)syscall(SYS_gettid);
  me->tid = tid;
  __atomic_store_n(&me->nspid, (int32_t)sandbox_id("/proc/thread-self/status", tid), __ATOMIC_SEQ_CST);
  task_reply(slot, 0);
  task_loop(slot, atomic_load(&me->go));
}

static void run_command(int slot, uint32_t go) {
  struct slot *me = &sh->slots[slot];
  int64_t *a = sh->a;
  int64_t ret = 0;
  int e = 0;
  me->outlen = 0;
  errno = 0;
  switch (sh->op) {
  case OP_FORK: {
    int child_slot = (int)a[0];
    pid_t set_tid = (pid_t)a[2];
    pid_t pid;
    if (a[1]) {
      /* bit 1: the trace forces the pid (set_tid); bit 2: CLONE_NEWPID */
      struct clone_args ca;
      memset(&ca, 0, sizeof ca);
      ca.exit_signal = SIGCHLD;
      if (a[1] & 2) ca.flags = CLONE_NEWPID;
      if (a[1] & 1) {
        ca.set_tid = (uint64_t)(uintptr_t)&set_tid;
        ca.set_tid_size = 1;
      }
      pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
    } else {
      pid = fork();
    }
    if (pid > 0 && (a[1] & 1)) {
      /* The model's fork.pid sets the allocator's last, as writing ns_last_pid does. */
      char num[16];
      int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
      int n = snprintf(num, sizeof num, "%d", (int)pid);
      if (fd >= 0) {
        if (write(fd, num, (size_t)n) < 0) {
        }
        close(fd);
      }
    }
    if (pid == 0) {
      /* SA_NOCLDWAIT is init's reaping, not a disposition the model lets a child inherit. */
      struct ksigaction k;
      if (syscall(SYS_rt_sigaction, SIGCHLD, NULL, &k, 8) == 0 && (k.flags & SA_NOCLDWAIT)) {
        k.flags &= ~(unsigned long)SA_NOCLDWAIT;
        syscall(SYS_rt_sigaction, SIGCHLD, &k, NULL, 8);
      }
      task_start(child_slot);
      task_reply(child_slot, 0);
      task_loop(child_slot, atomic_load(&sh->slots[child_slot].go));
    }
    ret = pid;
    break;
  }
  case OP_EXIT:
    _exit((int)a[0]);
  case OP_EXIT_THREAD:
    /* SYS_exit: this thread only (exit_group is OP_EXIT). */
    syscall(SYS_exit, (int)a[0]);
    break;
  case OP_THREAD: {
    int child_slot = (int)a[0];
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 1 << 16);
    int r = pthread_create(&th, &attr, thread_main, (void *)(intptr_t)child_slot);
    pthread_attr_destroy(&attr);
    if (r != 0) {
      ret = -1;
      errno = r;
      break;
    }
    while (__atomic_load_n(&sh->slots[child_slot].nspid, __ATOMIC_SEQ_CST) == 0) sched_yield();
    ret = sh->slots[child_slot].tid;
    break;
  }
  case OP_WAIT: {
    int status = 0;
    pid_t p = waitpid((pid_t)a[0], &status, (int)a[1]);
    ret = p;
    if (p > 0) me->outlen = (uint32_t)snprintf(sh->data, 64, "%d %d", (int)p, status);
    break;
  }
  case OP_KILL:
    ret = kill((pid_t)a[0], (int)a[1]);
    break;
  case OP_SIGNAL:
    ret = set_disposition((int)a[0], (int)a[1]);
    break;
  case OP_SETPGID:
    ret = setpgid((pid_t)a[0], (pid_t)a[1]);
    break;
  case OP_SETSID:
    ret = setsid();
    break;
  case OP_GETPID:
    ret = getpid();
    break;
  case OP_GETPPID:
    ret = getppid();
    break;
  case OP_GETTID:
    ret = (int64_t)syscall(SYS_gettid);
    break;
  case OP_GETPGID:
    ret = getpgid((pid_t)a[0]);
    break;
  case OP_GETSID:
    ret = getsid((pid_t)a[0]);
    break;
  case OP_EXEC: {
    char fdbuf[16], slotbuf[16], gobuf[16], rbuf[16], pathbuf[32];
    snprintf(fdbuf, sizeof fdbuf, "%d", (int)a[0]);
    snprintf(slotbuf, sizeof slotbuf, "%d", slot);
    snprintf(gobuf, sizeof gobuf, "%u", go);
    snprintf(rbuf, sizeof rbuf, "%d", replyfd_w);
    snprintf(pathbuf, sizeof pathbuf, "/proc/self/fd/%d", (int)a[1]);
    char *argv[] = {"kreplay-exec", "task", fdbuf, rbuf, slotbuf, gobuf, NULL};
    char *envp[] = {NULL};
    execve(pathbuf, argv, envp);
    ret = -1;
    break;
  }
  case OP_PTRACE: {
    static const int reqs[] = {PTRACE_ATTACH, PTRACE_TRACEME, PTRACE_DETACH, PTRACE_CONT};
    ret = ptrace(reqs[a[0]], (pid_t)a[1], NULL, (void *)(intptr_t)a[2]);
    break;
  }
  case OP_UNSHARE:
    ret = unshare(a[0] ? CLONE_NEWPID : 0);
    break;
  case OP_SETNS: {
    /* pidfd_open looks the pid up in the caller's pid namespace, as the model's setns does. */
    int fd = (int)syscall(SYS_pidfd_open, (pid_t)a[0], 0);
    if (fd < 0) {
      ret = -1;
      break;
    }
    ret = setns(fd, CLONE_NEWPID);
    if (ret < 0) e = errno;
    close(fd);
    break;
  }
  case OP_PRCTL:
    /* a[0]: PR_SET_CHILD_SUBREAPER (36) with arg2 a[1], or PR_GET_CHILD_SUBREAPER (37), whose
     * flag the kernel stores at *arg2: the answer is that flag, as the model returns it. */
    if (a[0] == PR_GET_CHILD_SUBREAPER) {
      int flag = 0;
      ret = prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)(uintptr_t)&flag, 0UL, 0UL, 0UL);
      if (ret == 0) ret = flag;
    } else {
      ret = prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)a[1], 0UL, 0UL, 0UL);
    }
    break;
  case OP_SETAFFINITY: {
    /* a[0]: the pid in the caller's view (0: the calling thread); a[1]: the cpus as a bit mask */
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < 63; c++)
      if ((a[1] >> c) & 1) CPU_SET(c, &set);
    ret = sched_setaffinity((pid_t)a[0], sizeof set, &set);
    break;
  }
  case OP_GETAFFINITY: {
    /* the mask as a cpu list, as Cpus_allowed_list prints it ("0-1", "0,2") */
    cpu_set_t set;
    ret = sched_getaffinity((pid_t)a[0], sizeof set, &set);
    if (ret < 0) break;
    size_t n = 0;
    for (int c = 0; c < CPU_SETSIZE; c++) {
      if (!CPU_ISSET(c, &set)) continue;
      int hi = c;
      while (hi + 1 < CPU_SETSIZE && CPU_ISSET(hi + 1, &set)) hi++;
      n += (size_t)snprintf(sh->data + n, DATA_MAX - n, n ? ",%d" : "%d", c);
      if (hi > c) n += (size_t)snprintf(sh->data + n, DATA_MAX - n, "-%d", hi);
      c = hi;
    }
    me->outlen = (uint32_t)n;
    break;
  }
  case OP_MKDIR:
  case OP_RMDIR: {
    char p[PATH_MAXLEN];
    if (sandbox_path(p, arg_str(0), NULL) < 0) {
      ret = -1;
      errno = ENAMETOOLONG;
      break;
    }
    ret = sh->op == OP_MKDIR ? mkdir(p, 0755) : rmdir(p);
    break;
  }
  case OP_WRITE:
  case OP_READ: {
    char p[PATH_MAXLEN];
    if (sandbox_path(p, arg_str(0), arg_str(1)) < 0) {
      ret = -1;
      errno = ENAMETOOLONG;
      break;
    }
    int fd = open(p, (sh->op == OP_WRITE ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
      ret = -1;
      break;
    }
    if (sh->op == OP_WRITE) {
      ssize_t w = write(fd, arg_str(2), sh->len[2]);
      ret = w < 0 ? -1 : 0;
    } else {
      size_t got = 0;
      for (;;) {
        ssize_t n = read(fd, sh->data + got, DATA_MAX - got);
        if (n < 0) {
          ret = -1;
          break;
        }
        if (n == 0) break;
        got += (size_t)n;
        if (got == DATA_MAX) break;
      }
      me->outlen = (uint32_t)got;
    }
    if (ret < 0) e = errno;
    close(fd);
    break;
  }
  case OP_PROC: {
    /* The caller itself reads /proc/<host pid>/<file> (the host's procfs: the executor resolved
     * the pid), so that its own stat says R as the kernel prints it. */
    char p[64];
    if (a[0] <= 0) {
      ret = -1;
      errno = ENOENT;
      break;
    }
    snprintf(p, sizeof p, "/proc/%d/%s", (int)a[0], arg_str(0));
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      ret = -1;
      break;
    }
    size_t got = 0;
    for (;;) {
      ssize_t n = read(fd, sh->data + got, DATA_MAX - 1 - got);
      if (n < 0) {
        ret = -1;
        e = errno;
        break;
      }
      if (n == 0 || got + (size_t)n >= DATA_MAX - 1) break;
      got += (size_t)n;
    }
    sh->data[got] = 0;
    me->outlen = (uint32_t)got;
    close(fd);
    break;
  }
  default:
    ret = -1;
    errno = ENOSYS;
  }
  if (ret < 0 && e == 0) e = errno;
  me->ret = ret;
  me->err = ret < 0 ? e : 0;
  task_reply(slot, go);
}

static void task_loop(int slot, uint32_t go_done) {
  struct slot *me = &sh->slots[slot];
  uint32_t last = go_done;
  for (;;) {
    atomic_store(&me->idle, 1);
    uint32_t g;
    while ((g = atomic_load(&me->go)) == last) futex(&me->go, FUTEX_WAIT, last);
    atomic_store(&me->idle, 0);
    last = g;
    run_command(slot, g);
  }
}

static int map_shared(int fd) {
  sh = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  return sh == MAP_FAILED ? -1 : 0;
}

/* `kreplay-exec task MEMFD REPLYFD SLOT GO`: a task that exec'd comes back here. */
static int task_main(int argc, char **argv) {
  if (argc != 6) return 125;
  int memfd = atoi(argv[2]);
  replyfd_w = atoi(argv[3]);
  int slot = atoi(argv[4]);
  uint32_t go = (uint32_t)strtoul(argv[5], NULL, 10);
  if (map_shared(memfd) < 0) return 125;
  learn_restorer();
  if (getpid() == 1) set_disposition(SIGCHLD, 0); /* exec cleared SA_NOCLDWAIT */
  task_start(slot);
  sh->slots[slot].ret = 0;
  sh->slots[slot].err = 0;
  sh->slots[slot].outlen = 0;
  task_reply(slot, go);
  task_loop(slot, go);
}

/* ---- the executor side: outside the namespace ---- */

static volatile sig_atomic_t stop_signal;
static char mount_dir[PATH_MAXLEN];
static char sandbox_dir[PATH_MAXLEN];
static char sandbox_name[256];
static pid_t init_pid = -1;
static int replyfd_r = -1;
static int memfd = -1;
static int selffd = -1;

struct tslot {
  int used;
  int pidfd;
  unsigned long long start; /* start time in /proc/PID/stat: tells a reused host pid apart */
};
static struct tslot tslots[MAX_SLOTS];

/* Whether host task `host` is a thread other than its process's leader (its Tgid is another id). */
static int is_thread(int host) {
  char path[64], buf[2048];
  snprintf(path, sizeof path, "/proc/%d/status", host);
  if (read_text(path, buf, sizeof buf) < 0) return 0;
  const char *t = strstr(buf, "\nTgid:");
  return t && atoi(t + 6) != host;
}
static uint32_t go_counter[MAX_SLOTS];

static void on_stop(int sig) { stop_signal = sig; }

static void say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  fflush(stdout);
}

static int read_file(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return (int)n;
}

static int write_file(const char *path, const char *text) {
  /* Every cgroup file the executor writes itself is inside its sandbox. */
  if (strncmp(path, sandbox_dir, strlen(sandbox_dir)) != 0) return -EPERM;
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  ssize_t w = write(fd, text, strlen(text));
  int e = errno;
  close(fd);
  return w < 0 ? -e : 0;
}

/* Removes a cgroup directory tree depth-first (a cgroup dir holds only control files). */
static int remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return errno == ENOENT ? 0 : -1;
  struct dirent *de;
  int bad = 0;
  while ((de = readdir(d)) != NULL) {
    if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    char sub[PATH_MAXLEN];
    if (snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name) >= (int)sizeof sub) {
      bad = 1;
      continue;
    }
    if (remove_tree(sub) < 0) bad = 1;
  }
  closedir(d);
  for (int tries = 0; tries < 200; tries++) {
    if (rmdir(dir) == 0 || errno == ENOENT) return bad ? -1 : 0;
    if (errno != EBUSY) return -1;
    struct timespec ts = {0, 10 * 1000 * 1000}; /* a dying task's css may linger briefly */
    nanosleep(&ts, NULL);
  }
  return -1;
}

/* Whether pid is a live kreplay executor (the owner of a sandbox named after it). */
static int owner_alive(pid_t pid) {
  char path[64], exe[PATH_MAXLEN];
  snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
  ssize_t n = readlink(path, exe, sizeof exe - 1);
  if (n < 0) return errno == ENOENT || errno == ESRCH ? 0 : 1; /* unreadable: assume alive */
  exe[n] = 0;
  return strstr(exe, "kreplay-exec") != NULL;
}

/* Removes sandboxes `kreplay-<pid>-*` left by executors that died without cleaning up. */
static int remove_stale(void) {
  DIR *d = opendir(mount_dir);
  if (!d) return 0;
  int removed = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    int pid = 0, len = 0;
    if (de->d_type != DT_DIR || sscanf(de->d_name, "kreplay-%d-%*x%n", &pid, &len) < 1 || len != (int)strlen(de->d_name)) continue;
    if (pid <= 0 || owner_alive(pid)) continue;
    char path[PATH_MAXLEN];
    snprintf(path, sizeof path, "%s/%s", mount_dir, de->d_name);
    if (remove_tree(path) == 0) removed++;
  }
  closedir(d);
  return removed;
}

static void cleanup(void) {
  if (init_pid > 0) {
    kill(init_pid, SIGKILL);
    /* The namespace ends with its init: once init is reaped, every task of it is gone. A kernel
     * that never lets it go (6.18: a nested namespace's init in the process group of a gone member
     * of its namespace waits in zap_pid_ns_processes for ever, docs/recording.md) must not hang
     * the recorder too: after 10 s it says so and leaves the sandbox to the kernel. */
    int reaped = 0;
    for (int i = 0; i < 1000 && !reaped; i++) {
      pid_t r = waitpid(init_pid, NULL, WNOHANG);
      if (r == init_pid || (r < 0 && errno != EINTR)) reaped = 1;
      else usleep(10000);
    }
    if (!reaped) {
      fprintf(stderr, "kreplay-exec: the sandbox's init (pid %d) did not exit within 10 s of SIGKILL: its tasks are stuck in the kernel, and %s stays\n", (int)init_pid, sandbox_dir);
      sandbox_dir[0] = 0;
    }
    init_pid = -1;
  }
  if (sandbox_dir[0]) {
    remove_tree(sandbox_dir);
    sandbox_dir[0] = 0;
  }
}

static void fatal(const char *fmt, ...) __attribute__((noreturn));
static void fatal(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cleanup();
  say("fatal %s", msg);
  exit(1);
}

static int pidfd_exited(int pidfd) {
  struct pollfd p = {pidfd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

/* The state letter, parent and start time of /proc/PID/stat; the state is 0 if gone. */
static char proc_stat(pid_t pid, int *ppid, unsigned long long *start) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  char *p = strrchr(buf, ')');
  if (!p || p[1] != ' ') return 0;
  char st = p[2];
  /* fields after the state: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
   * utime stime cutime cstime priority nice num_threads itrealvalue starttime */
  unsigned long long f[19];
  int n = sscanf(p + 4, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
                 &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12], &f[13], &f[14], &f[15], &f[16], &f[17], &f[18]);
  if (n != 19) return 0;
  if (ppid) *ppid = (int)f[0];
  if (start) *start = f[18];
  return st;
}

/* Whether PID is inside do_exit (PF_EXITING in the flags of /proc/PID/stat): a pid namespace's
 * init waits there in zap_pid_ns_processes, sleeping, until its namespace's tasks are reaped. */
static int exiting(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  char *p = strrchr(buf, ')');
  unsigned long long f[6];
  if (!p || sscanf(p + 2, "%*c %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]) != 6) return 0;
  return (f[5] & 0x4) != 0; /* PF_EXITING */
}

/* Whether task PID is numbered in the pid namespace whose nsfs inode is INO: its own namespace is
 * that one or below it (NS_GET_PARENT walks up). Works for zombies: /proc/PID/ns/pid follows
 * task_active_pid_ns, which a task keeps until it is released. */
static int in_pidns(pid_t pid, ino_t ino) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  for (int depth = 0; fd >= 0 && depth < 40; depth++) {
    struct stat st;
    if (fstat(fd, &st) != 0) break;
    if (st.st_ino == ino) {
      close(fd);
      return 1;
    }
    int up = ioctl(fd, NS_GET_PARENT);
    close(fd);
    fd = up;
  }
  if (fd >= 0) close(fd);
  return 0;
}

/* Whether PID is traced (TracerPid in /proc/PID/status). */
static int traced(pid_t pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  char *p = strstr(buf, "TracerPid:");
  return p && atoi(p + 10) != 0;
}

/* The live threads of PID's group (Threads: in /proc/PID/status; a zombie leader alone counts none). */
static int live_threads(pid_t pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  char *p = strstr(buf, "Threads:");
  int n = p ? atoi(p + 8) : 0;
  return n > 1 ? n - 1 : 0;
}

/* Whether PID has a signal pending (thread or process wide). */
static int signal_pending(pid_t pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  for (const char *key = "SigPnd:"; key; key = strcmp(key, "SigPnd:") == 0 ? "ShdPnd:" : NULL) {
    char *p = strstr(buf, key);
    if (p && strtoull(p + 7, NULL, 16) != 0) return 1;
  }
  return 0;
}

static void free_slot(int i) {
  if (tslots[i].used) close(tslots[i].pidfd);
  tslots[i].used = 0;
}

/* A live task (not yet exited) with that pid in the namespace, or -1. */
static int slot_of(pid_t nspid) {
  for (int i = 0; i < MAX_SLOTS; i++) {
    if (!tslots[i].used || sh->slots[i].nspid != nspid) continue;
    /* an exited task is no caller, but its slot stays until it is released (settle frees it):
     * a zombie's /proc is still there for a proc_read */
    if (pidfd_exited(tslots[i].pidfd)) return -1;
    return i;
  }
  return -1;
}

/* The task's state letter, 0 once it is gone ('X' is a dead task not yet released); *ppid its
 * parent's host pid. */
static char stable_state(int i, int *ppid) {
  unsigned long long start = 0;
  char st = proc_stat(sh->slots[i].hostpid, ppid, &start);
  /* A host pid reused by another process has another start time. */
  return st && start == tslots[i].start ? st : 0;
}

static void check_stop(void) {
  if (stop_signal) {
    cleanup();
    exit(128 + stop_signal);
  }
}

/* Whether slot I, a task sleeping inside do_exit, is a pid namespace init that waits in
 * zap_pid_ns_processes for other tasks of its namespace to be reaped (it stays there until they
 * are: settled). Once none is left it is about to become a zombie: not settled yet. Its own zombie
 * children are not settled either (settle's zombie rule), as it reaps them itself. */
static int zap_waits(int i) {
  char path[64];
  struct stat st;
  snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)sh->slots[i].hostpid);
  if (stat(path, &st) != 0) return 0;
  for (int j = 0; j < MAX_SLOTS; j++) {
    if (j == i || !tslots[j].used || stable_state(j, NULL) == 0) continue;
    if (in_pidns(sh->slots[j].hostpid, st.st_ino)) return 1;
  }
  return 0;
}

/* Polls until every task is dead, stopped, or idle with no signal pending. */
static void settle(void) {
  for (long round = 0;; round++) {
    check_stop();
    int quiet = 1;
    for (int i = 0; i < MAX_SLOTS && quiet; i++) {
      if (!tslots[i].used) continue;
      int ppid = 0;
      char st = stable_state(i, &ppid);
      if (st == 0) {
        free_slot(i);
        continue;
      }
      if (st == 'Z' && live_threads(sh->slots[i].hostpid) > 0) continue; /* delay_group_leader */
      if (st == 'Z') {
        /* A zombie whose parent is init, or whose parent is exiting, is being released: init
         * reaps at once, and the exit that reparents it releases it after the exiting task is
         * already a zombie itself. Wait until it is gone. */
        char pst = ppid > 0 ? proc_stat(ppid, NULL, NULL) : 0;
        int parent_gone = pst == 0 || pst == 'Z' || pst == 'X' || (ppid > 0 && exiting(ppid)); /* being reparented or reaped by an exiting namespace init */
        if ((ppid == init_pid || parent_gone) && !traced(sh->slots[i].hostpid)) quiet = 0;
        continue;
      }
      if (st == 'T' || st == 't') continue;
      if (st == 'S' && atomic_load(&sh->slots[i].idle) && !signal_pending(sh->slots[i].hostpid)) continue;
      if (st == 'S' && exiting(sh->slots[i].hostpid) && zap_waits(i)) continue;
      quiet = 0;
    }
    if (quiet) return;
    if (round > 200000) fatal("the sandbox's tasks did not settle");
    if (round < 100) sched_yield();
    else {
      struct timespec ts = {0, 100 * 1000};
      nanosleep(&ts, NULL);
    }
  }
}

static int new_slot(void) {
  for (int i = 0; i < MAX_SLOTS; i++)
    if (!tslots[i].used) return i;
  return -1;
}

static int adopt(int i) {
  int fd = (int)syscall(SYS_pidfd_open, sh->slots[i].hostpid, 0);
  /* A thread other than its group's leader: a pidfd of that thread (PIDFD_THREAD, 6.9). */
  if (fd < 0) fd = (int)syscall(SYS_pidfd_open, sh->slots[i].hostpid, O_EXCL);
  if (fd < 0) return -1;
  unsigned long long start = 0;
  if (!proc_stat(sh->slots[i].hostpid, NULL, &start)) {
    close(fd);
    return -1;
  }
  tslots[i].used = 1;
  tslots[i].pidfd = fd;
  tslots[i].start = start;
  return 0;
}

/* Reads reply records until `want` (slot, go) arrives; also adopts tasks that report ready.
 * Returns 0 on the reply, 1 if the caller exited first, 2 if it stopped first. */
/* A task that has not answered in this long is wedged (no call the recorder makes blocks): the
 * recording stops with a message rather than hang. Not a timer on any outcome. */
#define ANSWER_WATCHDOG_S 60

static int await_reply(int slot, uint32_t want, int *child_slot) {
  int waiting_child = child_slot && *child_slot >= 0;
  int got = 0;
  struct timespec t0, now;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long round = 0;; round++) {
    check_stop();
    if ((round & 255) == 255) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - t0.tv_sec > ANSWER_WATCHDOG_S) fatal("task %d did not answer within %d s", (int)sh->slots[slot].nspid, ANSWER_WATCHDOG_S);
    }
    struct pollfd p = {replyfd_r, POLLIN, 0};
    int timeout = round < 50 ? 0 : round < 200 ? 1 : 10;
    if (poll(&p, 1, timeout) > 0) {
      struct reply r;
      ssize_t n = read(replyfd_r, &r, sizeof r);
      if (n == (ssize_t)sizeof r) {
        if (r.go == 0 && waiting_child && (int)r.slot == *child_slot) {
          if (adopt(*child_slot) < 0) fatal("cannot watch a new task");
          waiting_child = 0;
        } else if ((int)r.slot == slot && r.go == want) {
          got = 1;
          if (child_slot && *child_slot >= 0 && sh->slots[slot].ret <= 0) waiting_child = 0;
        }
        /* Anything else is the late answer of a task that stopped inside an earlier call. */
      } else if (n == 0) {
        fatal("every task of the sandbox is gone");
      }
      if (got && !waiting_child) return 0;
      continue;
    }
    if (got) continue; /* only the child is missing */
    char st = stable_state(slot, NULL);
    if (st == 0 || st == 'X' || st == 'Z') return 1;
    if (st == 'S' && exiting(sh->slots[slot].hostpid)) return 1; /* a namespace init waiting in zap_pid_ns_processes */
    if (st == 'T' || st == 't') return 2;
  }
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes hex token `tok` ("-" is empty) into data at *off; returns its length or -1. */
static long unhex(const char *tok, size_t *off) {
  if (strcmp(tok, "-") == 0) {
    sh->data[(*off)++] = 0;
    return 0;
  }
  size_t n = strlen(tok);
  if (n % 2 || *off + n / 2 + 1 > DATA_MAX) return -1;
  for (size_t i = 0; i < n; i += 2) {
    int h = hexval(tok[i]), l = hexval(tok[i + 1]);
    if (h < 0 || l < 0) return -1;
    sh->data[(*off)++] = (char)(h * 16 + l);
  }
  sh->data[(*off)++] = 0;
  return (long)(n / 2);
}

/* A model path is "/" or "/name/name..." with no empty, "." or ".." component and no NUL. */
static int safe_path(const char *p, size_t len) {
  if (len == 0 || p[0] != '/' || strlen(p) != len || len > 2048) return 0;
  if (len == 1) return 1;
  const char *s = p + 1;
  for (;;) {
    const char *e = strchr(s, '/');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return 0;
    if (!e) return 1;
    s = e + 1;
  }
}

static int safe_file(const char *f, size_t len) {
  return len > 0 && strlen(f) == len && !strchr(f, '/') && strcmp(f, ".") != 0 && strcmp(f, "..") != 0;
}

/* A task of the trace, zombies included, with that pid in the namespace, or -1. */
static int slot_any(pid_t nspid) {
  for (int i = 0; i < MAX_SLOTS; i++)
    if (tslots[i].used && sh->slots[i].nspid == nspid && stable_state(i, NULL) != 0) return i;
  return -1;
}

/* The NSpid numbers of host task `host`, outermost first (at most `max`): how many, 0 if unknown. */
static int nspids_of(int host, long *out, int max) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", host);
  if (read_text(path, buf, sizeof buf) < 0) return 0;
  char *p = strstr(buf, "\nNSpid:");
  if (!p) return 0;
  p += 7;
  int k = 0;
  while (k < max && *p && *p != '\n') {
    char *end;
    long v = strtol(p, &end, 10);
    if (end == p) break;
    out[k++] = v;
    p = end;
  }
  return k;
}

/* The live task that `pid` names in the pid namespace of the task in slot `caller` (a pid
 * argument as the caller's own system calls would resolve it), or -1. */
static int slot_in_view(int caller, pid_t pid) {
  long c[40], t[40];
  int cn = nspids_of(sh->slots[caller].hostpid, c, 40);
  if (cn < 2) return slot_any(pid);
  for (int i = 0; i < MAX_SLOTS; i++) {
    if (!tslots[i].used || stable_state(i, NULL) == 0) continue;
    int tn = nspids_of(sh->slots[i].hostpid, t, 40);
    if (tn >= cn && t[cn - 1] == pid) return i;
  }
  return -1;
}

/* A host pid as the namespace numbers it: a task of the trace, else 0 (outside the sandbox). */
static int proc_caller = -1; /* the slot whose proc_read is being answered */

static long ns_of_host(long host) {
  if (host <= 0) return 0;
  long c[40], t[40];
  int cn = proc_caller >= 0 ? nspids_of(sh->slots[proc_caller].hostpid, c, 40) : 0;
  for (int i = 0; i < MAX_SLOTS; i++) {
    if (!tslots[i].used || sh->slots[i].hostpid != host) continue;
    if (cn < 2) return sh->slots[i].nspid;
    /* as the caller's namespace numbers it (a /proc mounted there would print): 0 outside it */
    int tn = nspids_of((int)host, t, 40);
    return tn >= cn ? t[cn - 1] : 0;
  }
  return 0;
}

/* A cpuset path under the sandbox as the model names it: "/kreplay-.../a" -> "/a". */
static void unsandbox(const char *path, size_t n, char *out, size_t outsz) {
  char prefix[300];
  int k = snprintf(prefix, sizeof prefix, "/%s", sandbox_name);
  if (n == (size_t)k && strncmp(path, prefix, n) == 0) snprintf(out, outsz, "/");
  else if (n > (size_t)k && strncmp(path, prefix, (size_t)k) == 0 && path[k] == '/') snprintf(out, outsz, "%.*s", (int)(n - (size_t)k), path + k);
  else snprintf(out, outsz, "%.*s", (int)n, path);
}

/* The one field `proc` asks for, from the text the caller read into data; -errno if absent. */
static int proc_field(const char *file, const char *field) {
  char *d = sh->data, out[PATH_MAXLEN];
  out[0] = 0;
  if (strcmp(file, "stat") == 0) {
    char *p = strrchr(d, ')');
    if (!p || p[1] != ' ') return -EIO;
    if (strcmp(field, "state") == 0) snprintf(out, sizeof out, "%c", p[2]);
    else snprintf(out, sizeof out, "%ld", ns_of_host(strtol(p + 4, NULL, 10)));
  } else if (strcmp(file, "status") == 0) {
    char key[64];
    snprintf(key, sizeof key, "\n%s:", field);
    char *p = strstr(d, key);
    if (!p) return -ENOENT;
    p += strlen(key);
    while (*p == '\t' || *p == ' ') p++;
    size_t n = strcspn(p, "\n");
    if (strcmp(field, "PPid") == 0 || strcmp(field, "TracerPid") == 0) snprintf(out, sizeof out, "%ld", ns_of_host(strtol(p, NULL, 10)));
    else snprintf(out, sizeof out, "%.*s", (int)n, p);
  } else if (strcmp(file, "cpuset") == 0) {
    unsandbox(d, strcspn(d, "\n"), out, sizeof out - 1);
    strcat(out, "\n");
  } else {
    /* cgroup: "id:controllers:path" lines; the line whose controllers name the field */
    int found = 0;
    for (char *line = d; *line && !found; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0)) {
      char *c1 = strchr(line, ':');
      char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
      size_t len = strcspn(line, "\n");
      if (!c2 || c2 > line + len) continue;
      for (char *c = c1 + 1; c < c2 && !found;) {
        size_t w = strcspn(c, ",:");
        if (w == strlen(field) && strncmp(c, field, w) == 0) found = 1;
        c += w + 1;
      }
      if (found) unsandbox(c2 + 1, (size_t)(line + len - (c2 + 1)), out, sizeof out);
    }
    if (!found) return -ENOENT;
  }
  size_t n = strlen(out);
  memcpy(sh->data, out, n);
  return (int)n;
}

static void answer(int slot, int op) {
  struct slot *s = &sh->slots[slot];
  if (s->ret < 0) {
    say("err %d", s->err);
    return;
  }
  if (op == OP_READ || op == OP_PROC || op == OP_GETAFFINITY) {
    printf("str ");
    for (uint32_t i = 0; i < s->outlen; i++) printf("%02x", (unsigned char)sh->data[i]);
    if (s->outlen == 0) printf("-");
    say("");
  } else if (op == OP_WAIT && s->ret > 0) {
    say("wait %.*s", (int)s->outlen, sh->data);
  } else {
    say("ret %lld", (long long)s->ret);
  }
}

static const struct {
  const char *name;
  int op, nint, nstr;
} OPS[] = {
    {"fork", OP_FORK, 2, 0},     {"exit", OP_EXIT, 1, 0},       {"wait", OP_WAIT, 2, 0},
    {"kill", OP_KILL, 2, 0},     {"signal", OP_SIGNAL, 2, 0},   {"setpgid", OP_SETPGID, 2, 0},
    {"setsid", OP_SETSID, 0, 0}, {"getpid", OP_GETPID, 0, 0},   {"getppid", OP_GETPPID, 0, 0},
    {"getpgid", OP_GETPGID, 1, 0}, {"getsid", OP_GETSID, 1, 0}, {"exec", OP_EXEC, 0, 0},
    {"ptrace", OP_PTRACE, 3, 0}, {"mkdir", OP_MKDIR, 0, 1},     {"rmdir", OP_RMDIR, 0, 1},
    {"write", OP_WRITE, 0, 3},   {"read", OP_READ, 0, 2},       {"proc", OP_PROC, 1, 2},
    {"unshare", OP_UNSHARE, 1, 0}, {"setns", OP_SETNS, 1, 0},   {"prctl", OP_PRCTL, 2, 0},
    {"gettid", OP_GETTID, 0, 0},
    {"thread", OP_THREAD, 0, 0}, {"exit_thread", OP_EXIT_THREAD, 1, 0},
    {"setaffinity", OP_SETAFFINITY, 2, 0}, {"getaffinity", OP_GETAFFINITY, 1, 0},
};

/* One command line: `OP BY INT... HEX...`. */
static void command(char *line) {
  char *save = NULL;
  char *name = strtok_r(line, " \n", &save);
  char *bytok = strtok_r(NULL, " \n", &save);
  if (!name || !bytok) fatal("bad command");
  int k = -1;
  for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
    if (strcmp(OPS[i].name, name) == 0) k = (int)i;
  if (k < 0) fatal("unknown command %s", name);
  int op = OPS[k].op;
  int64_t ints[4] = {0, 0, 0, 0};
  for (int i = 0; i < OPS[k].nint; i++) {
    char *t = strtok_r(NULL, " \n", &save);
    if (!t) fatal("missing argument");
    ints[i] = strtoll(t, NULL, 10);
  }
  size_t off = 0;
  uint32_t lens[3] = {0, 0, 0};
  for (int i = 0; i < OPS[k].nstr; i++) {
    char *t = strtok_r(NULL, " \n", &save);
    long n = t ? unhex(t, &off) : -1;
    if (n < 0) fatal("bad string argument");
    lens[i] = (uint32_t)n;
  }
  /* the text the caller reads overwrites data: keep the file and field names */
  char proc_file[16] = "", proc_fld[64] = "";
  if (op == OP_PROC) {
    /* /proc/PID/<file> of the four files the model has; the field is letters and '_' only */
    const char *f = sh->data, *fld = sh->data + lens[0] + 1;
    if (strcmp(f, "stat") != 0 && strcmp(f, "status") != 0 && strcmp(f, "cpuset") != 0 && strcmp(f, "cgroup") != 0) fatal("proc file refused");
    if (lens[1] >= sizeof proc_fld || strspn(fld, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") != lens[1]) fatal("proc field refused");
    snprintf(proc_file, sizeof proc_file, "%s", f);
    snprintf(proc_fld, sizeof proc_fld, "%s", fld);
  } else {
    if (OPS[k].nstr >= 1 && !safe_path(sh->data, lens[0])) fatal("path outside the sandbox refused");
    if (OPS[k].nstr >= 2 && !safe_file(sh->data + lens[0] + 1, lens[1])) fatal("file name refused");
  }

  int slot = slot_of((pid_t)atoi(bytok));
  if (slot < 0) {
    say("err %d", ESRCH); /* the model: a caller that is no live task gets ESRCH */
    return;
  }
  char st = stable_state(slot, NULL);
  if (st == 0 || st == 'Z' || st == 'X') {
    /* A leader thread that exited while its other threads live: no live task (the model: ESRCH). */
    say("err %d", ESRCH);
    return;
  }
  if (st == 'T' || st == 't') {
    say("blocked");
    return;
  }
  if (op == OP_EXEC && is_thread(sh->slots[slot].hostpid)) {
    /* de_thread would give the leader's pid to this thread and end the leader's slot under us:
     * the sandbox cannot follow it (docs/recording.md), so it stops rather than hang. */
    fatal("exec by thread %d, not its process's leader, cannot be recorded", (int)sh->slots[slot].nspid);
  }
  int child = -1;
  int64_t a[4] = {0, 0, 0, 0};
  int may_block = 0;
  switch (op) {
  case OP_THREAD:
    child = new_slot();
    if (child < 0) fatal("too many tasks (at most %d)", MAX_SLOTS);
    sh->slots[child].nspid = 0;
    sh->slots[child].hostpid = 0;
    a[0] = child;
    break;
  case OP_FORK:
    child = new_slot();
    if (child < 0) fatal("too many tasks (at most %d)", MAX_SLOTS);
    sh->slots[child].nspid = 0;
    sh->slots[child].hostpid = 0;
    a[0] = child;
    a[1] = ints[0]; /* 1: the trace forces the pid */
    a[2] = ints[1];
    break;
  case OP_WAIT:
    /* ints: pid, flags (1 nohang, 2 untraced, 4 continued) */
    a[0] = ints[0];
    a[1] = WNOHANG | (ints[1] & 2 ? WUNTRACED : 0) | (ints[1] & 4 ? WCONTINUED : 0);
    may_block = !(ints[1] & 1);
    break;
  case OP_EXEC:
    a[0] = memfd;
    a[1] = selffd;
    break;
  case OP_PROC: {
    /* the pid is in the caller's view, which a task below the sandbox's namespace numbers its own way */
    int target = ints[0] > 0 ? slot_in_view(slot, (pid_t)ints[0]) : -1;
    a[0] = target < 0 ? -1 : sh->slots[target].hostpid;
    break;
  }
  default:
    memcpy(a, ints, sizeof a);
  }
  sh->op = op;
  memcpy(sh->a, a, sizeof a);
  memcpy(sh->len, lens, sizeof lens);
  uint32_t go = ++go_counter[slot];
  if (go == 0) go = ++go_counter[slot];
  atomic_store(&sh->slots[slot].go, go);
  futex(&sh->slots[slot].go, FUTEX_WAKE, 1);
  int how = await_reply(slot, go, op == OP_FORK || op == OP_THREAD ? &child : NULL);
  if (how != 0) {
    /* The caller died or stopped inside its call: only a signal it sent itself, or exit. */
    if (op == OP_EXIT || op == OP_EXIT_THREAD || op == OP_KILL || op == OP_EXEC) {
      settle();
      say("ret 0");
      return;
    }
    fatal("task %d %s during %s", (int)sh->slots[slot].nspid, how == 1 ? "died" : "stopped", name);
  }
  settle();
  if (op == OP_WAIT && may_block && sh->slots[slot].ret == 0) {
    say("blocked");
    return;
  }
  if (op == OP_PROC && sh->slots[slot].ret >= 0) {
    proc_caller = slot;
    int n = proc_field(proc_file, proc_fld);
    proc_caller = -1;
    if (n < 0) {
      sh->slots[slot].ret = -1;
      sh->slots[slot].err = -n;
    } else {
      sh->slots[slot].outlen = (uint32_t)n;
    }
  }
  answer(slot, op);
}

static void init_main(int pidfd_exec, const char *cgroup_procs) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (pidfd_exited(pidfd_exec)) _exit(1);
  close(pidfd_exec);
  int devnull = open("/dev/null", O_RDWR);
  dup2(devnull, 0);
  dup2(devnull, 1);
  close(devnull);
  close(replyfd_r);
  int fd = open(cgroup_procs, O_WRONLY);
  if (fd < 0 || write(fd, "0", 1) != 1) _exit(1);
  close(fd);
  setsid();
  learn_restorer();
  /* The executor's handlers are not the model's: every task starts with default dispositions. */
  for (int sig = 1; sig <= 64; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) set_disposition(sig, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  /* Since Linux 6.14 pid_max is per pid namespace (a new one starts at PID_MAX_LIMIT), and the
   * sysctl answers for the reader's: init reads the sandbox's. */
  char pidmax_text[32];
  sh->pid_max = read_file("/proc/sys/kernel/pid_max", pidmax_text, sizeof pidmax_text) > 0 ? atol(pidmax_text) : 0;
  task_start(0);
  task_reply(0, 0);
  task_loop(0, 0);
}

static int copy_file(const char *from_dir, const char *to_dir, const char *name) {
  char src[PATH_MAXLEN], dst[PATH_MAXLEN], buf[4096];
  snprintf(src, sizeof src, "%s/%s", from_dir, name);
  snprintf(dst, sizeof dst, "%s/%s", to_dir, name);
  if (read_file(src, buf, sizeof buf) < 0) return -errno;
  return write_file(dst, buf);
}

/* The smallest power of two p for which the kernel's node list parser says ERANGE: MAX_NUMNODES. */
static long probe_possible_mems(const char *file) {
  char path[PATH_MAXLEN], num[32];
  snprintf(path, sizeof path, "%s/%s", sandbox_dir, file);
  for (long p = 1; p <= (1L << 20); p *= 2) {
    snprintf(num, sizeof num, "%ld", p);
    if (write_file(path, num) == -ERANGE) return p;
  }
  return 0;
}

/* `kreplay-exec run CPUSET_DIR PARENT_PID`. */
static int run_main(int argc, char **argv) {
  if (argc != 4) return 125;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != (pid_t)atoi(argv[3])) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGPIPE, &sa, NULL);
  if (strlen(argv[2]) >= 1024) fatal("cpuset directory name too long");
  snprintf(mount_dir, sizeof mount_dir, "%s", argv[2]);
  char probe[PATH_MAXLEN];
  int noprefix = 0;
  snprintf(probe, sizeof probe, "%s/cpuset.cpus", mount_dir);
  if (access(probe, F_OK) != 0) {
    snprintf(probe, sizeof probe, "%s/cpus", mount_dir);
    if (access(probe, F_OK) != 0) fatal("%s is not a cgroup v1 cpuset hierarchy", mount_dir);
    noprefix = 1;
  }
  int stale = remove_stale();

  unsigned int rnd = 0;
  if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd) fatal("getrandom failed");
  snprintf(sandbox_name, sizeof sandbox_name, "kreplay-%d-%08x", (int)getpid(), rnd);
  char dir[PATH_MAXLEN];
  snprintf(dir, sizeof dir, "%s/%s", mount_dir, sandbox_name);
  if (mkdir(dir, 0755) != 0) fatal("cannot create %s: %s", dir, strerror(errno));
  snprintf(sandbox_dir, sizeof sandbox_dir, "%s", dir);
  const char *cpus = noprefix ? "cpus" : "cpuset.cpus", *mems = noprefix ? "mems" : "cpuset.mems";
  long possible_mems = probe_possible_mems(mems);
  int e;
  if ((e = copy_file(mount_dir, sandbox_dir, cpus)) < 0 || (e = copy_file(mount_dir, sandbox_dir, mems)) < 0)
    fatal("cannot set up %s: %s", sandbox_dir, strerror(-e));

  memfd = memfd_create("kreplay", 0);
  if (memfd < 0 || ftruncate(memfd, sizeof(struct shared)) != 0 || map_shared(memfd) < 0) fatal("cannot map shared memory");
  snprintf(sh->root, sizeof sh->root, "%s", sandbox_dir);
  selffd = open("/proc/self/exe", O_RDONLY); /* exec'd tasks come back through it */
  if (selffd < 0) fatal("cannot open /proc/self/exe");
  int fds[2];
  if (pipe2(fds, 0) != 0) fatal("pipe failed");
  replyfd_r = fds[0];
  replyfd_w = fds[1];
  fcntl(replyfd_r, F_SETFD, FD_CLOEXEC);
  int pidfd_self = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (pidfd_self < 0) fatal("pidfd_open failed: %s", strerror(errno));
  if (unshare(CLONE_NEWPID) != 0) fatal("unshare(CLONE_NEWPID) failed: %s", strerror(errno));
  char procs[PATH_MAXLEN];
  snprintf(procs, sizeof procs, "%s/tasks", sandbox_dir);
  pid_t pid = fork();
  if (pid < 0) fatal("fork failed: %s", strerror(errno));
  if (pid == 0) init_main(pidfd_self, procs);
  init_pid = pid;
  close(pidfd_self);
  close(replyfd_w);
  struct reply r;
  for (;;) {
    ssize_t n = read(replyfd_r, &r, sizeof r);
    if (n == (ssize_t)sizeof r) break;
    if (n < 0 && errno == EINTR) {
      check_stop();
      continue;
    }
    fatal("the sandbox's init did not start");
  }
  if (adopt(0) < 0) fatal("cannot watch init");
  settle();
  say("ready %s %ld %d %ld", sandbox_name, possible_mems, stale, (long)sh->pid_max);

  char *line = NULL;
  size_t cap = 0;
  for (;;) {
    check_stop();
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
      if (errno == EINTR && !feof(stdin)) {
        clearerr(stdin);
        continue;
      }
      break;
    }
    if (strncmp(line, "quit", 4) == 0) break;
    command(line);
  }
  cleanup();
  say("bye");
  return 0;
}

/* `kreplay-exec clean CPUSET_DIR`: removes stale sandboxes only. */
static int clean_main(int argc, char **argv) {
  if (argc != 3) return 125;
  snprintf(mount_dir, sizeof mount_dir, "%s", argv[2]);
  printf("removed %d\n", remove_stale());
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "task") == 0) return task_main(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "run") == 0) return run_main(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "clean") == 0) return clean_main(argc, argv);
  fprintf(stderr, "usage: kreplay-exec run CPUSET_DIR PARENT_PID | clean CPUSET_DIR\n");
  return 125;
}
