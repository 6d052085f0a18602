/**
 * The counters a producer thread and a follower thread share for a ring in shared memory (factRing.ts): how many
 * entries were published, how many the follower is done with, whether the producer closed, whether either sleeps,
 * and whether the follower is gone. Both sleep with Atomics.wait, each woken by the other only when it sleeps.
 */
export const PRODUCED = 0;
export const CONSUMED = 1;
const STATE = 2;
/** 1 while the follower sleeps on PRODUCED. */
const WAITING = 3;
/** 1 while the producer sleeps on CONSUMED (the ring is full). */
export const PRODUCER_WAITING = 4;
/** 1 once the follower stopped (failed, or its thread exited): the producer must not wait for it. */
export const GONE = 5;
const RUNNING = 0;
const DONE = 1;

export function createControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(32);
}

/** Makes entries [0, n) visible, waking the follower only if it sleeps (a wake-up is a system call). */
export function publish(control: Int32Array, n: number): void {
  Atomics.store(control, PRODUCED, n);
  if (Atomics.load(control, WAITING) !== 0) Atomics.notify(control, PRODUCED);
}

/** No more entries will come. */
export function close(control: Int32Array): void {
  Atomics.store(control, STATE, DONE);
  Atomics.notify(control, PRODUCED);
}

/**
 * Blocks until at least n entries are published and returns how many are; once the producer has closed, returns
 * the final count even when it is below n.
 */
export function waitPublished(control: Int32Array, n: number): number {
  for (;;) {
    const p = Atomics.load(control, PRODUCED);
    if (p >= n) return p;
    if (Atomics.load(control, STATE) !== RUNNING) return Atomics.load(control, PRODUCED);
    // WAITING is set before PRODUCED is read again (sequentially consistent): a publication either shows in that
    // read or sees the flag and wakes us; the timeout is only a backstop.
    Atomics.store(control, WAITING, 1);
    if (Atomics.load(control, PRODUCED) === p) Atomics.wait(control, PRODUCED, p, 1000);
    Atomics.store(control, WAITING, 0);
  }
}
