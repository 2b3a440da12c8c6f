import type { RenderedMessage } from "./render/message.js";

/** Discord rate-limits message edits; about one a second keeps a streaming reply smooth and within limits. */
export const EDIT_INTERVAL_MS = 1000;

/**
 * Edits one reply as a text grows, at most once per `intervalMs`: a newer body replaces one
 * still waiting, edits never overlap, and `finish` sends the final body after any edit in
 * flight, so a late progress edit can never overwrite the final one. A failed progress edit is
 * reported to `onError` and does not stop the final one.
 */
export class ThrottledEdits {
  private waiting: RenderedMessage | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private lastEdit = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(
    private readonly edit: (body: RenderedMessage) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = EDIT_INTERVAL_MS,
  ) {}

  /** Shows `body` as soon as the interval allows (dropped if a newer one or the final one comes first). */
  push(body: RenderedMessage): void {
    if (this.finished) return;
    this.waiting = body;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEdit + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the final body once any edit in flight is done; later pushes are ignored. */
  async finish(body: RenderedMessage): Promise<void> {
    this.cancel();
    await this.inFlight;
    await this.edit(body);
  }

  /** Drops any waiting edit and ignores later pushes (the reply is about to be replaced by an error). */
  cancel(): void {
    this.finished = true;
    this.waiting = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    const body = this.waiting;
    this.waiting = null;
    if (!body || this.finished) return;
    this.lastEdit = performance.now();
    this.inFlight = this.inFlight
      .then(() => this.edit(body))
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
  }
}
