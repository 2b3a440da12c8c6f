/**
 * Per-user cooldowns: one accepted request per `seconds` per user. Keeps a user who mashes
 * Enter from taking the bot's time from everyone else.
 */
export class Cooldowns {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a request by `userId` and returns 0, or returns the seconds left to wait (rounded
   * up) without recording anything when the user is still cooling down.
   */
  take(userId: string): number {
    const now = this.now();
    const last = this.last.get(userId);
    const waitMs = last === undefined ? 0 : last + this.seconds * 1000 - now;
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    this.last.set(userId, now);
    if (this.last.size > 10_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [user, at] of this.last) if (at + this.seconds * 1000 <= now) this.last.delete(user);
  }
}
