/**
 * Runs tasks one at a time in the order they were queued: two moderators changing the corpus
 * at once take turns, each seeing the corpus the previous one left. A failed task does not
 * stop the queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
