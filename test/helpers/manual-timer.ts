import type { Timer } from "../../src/schedule/scheduler.js";

/** A timer the test fires by hand, recording how long the scheduler asked to sleep. */
export class ManualTimer implements Timer {
  pending: { callback: () => void; ms: number } | null = null;
  set(callback: () => void, ms: number): unknown {
    this.pending = { callback, ms };
    return this.pending;
  }
  clear(handle: unknown): void {
    if (this.pending === handle) this.pending = null;
  }
}
