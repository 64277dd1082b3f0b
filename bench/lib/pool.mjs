/**
 * A set of pids with O(1) add, remove and uniform random pick, in insertion-and-swap order
 * (deterministic). Entries go stale when the task dies; callers validate against the model
 * and drop stale ones, so the pool never needs a scan of the task table.
 */
export class PidPool {
  constructor() {
    this.arr = [];
    this.index = new Map();
  }

  get size() {
    return this.arr.length;
  }

  add(pid) {
    if (this.index.has(pid)) return;
    this.index.set(pid, this.arr.length);
    this.arr.push(pid);
  }

  delete(pid) {
    const i = this.index.get(pid);
    if (i === undefined) return;
    const last = this.arr.pop();
    this.index.delete(pid);
    if (last !== pid) {
      this.arr[i] = last;
      this.index.set(last, i);
    }
  }

  /** A random member for which `valid(pid)` holds, dropping invalid ones met on the way; 0 if none. */
  pick(rng, valid) {
    while (this.arr.length > 0) {
      const pid = this.arr[rng.int(this.arr.length)];
      if (valid(pid)) return pid;
      this.delete(pid);
    }
    return 0;
  }
}
