import { describeProgress } from "../../commands/reindex.js";
import type { BuildProgress } from "../../index/build-index.js";
import type { DiscordContext } from "../command.js";
import { notice } from "../render/message.js";

/** Progress edits at most this often during a reindex: Discord rate-limits message edits. */
export const PROGRESS_EVERY_MS = 1500;

/** What edits a private reply: `editReply` of a deferred command or of a button's updated message. */
export interface EditsReply {
  readonly id: string;
  editReply(options: { content: string; embeds: []; components: [] }): Promise<unknown>;
}

/**
 * The progress of one corpus change, shown by editing the moderator's private reply: each step
 * ("Downloading…", "Converting…") at once, the reindex's phases at most every 1.5 s. Every
 * progress text ends with "…", so a reader (or a test) tells it from the final reply. Edits
 * never overlap and `settle` waits for the last, so the final reply is never overwritten by a
 * late progress edit. A failed edit is logged and changes nothing.
 */
export class CorpusProgress {
  private lastEdit = Number.NEGATIVE_INFINITY;
  private editing: Promise<unknown> = Promise.resolve();
  private heading = "";

  constructor(
    private readonly interaction: EditsReply,
    private readonly context: DiscordContext,
  ) {}

  /** Shows a new step now; later reindex progress is shown under it. */
  step(text: string): void {
    this.heading = text;
    this.edit(text);
  }

  /** For `CorpusManager`'s onProgress: the reindex's phase under the current step, throttled. */
  readonly onProgress = (p: BuildProgress): void => {
    const now = this.context.now();
    if (now - this.lastEdit < PROGRESS_EVERY_MS) return;
    this.edit(`${this.heading}\nReindexing: ${describeProgress(p)}…`);
  };

  /** Waits for the edit in flight, before the final reply. */
  async settle(): Promise<void> {
    await this.editing;
  }

  private edit(text: string): void {
    this.lastEdit = this.context.now();
    this.editing = this.editing
      .then(() => this.interaction.editReply({ content: notice(text), embeds: [], components: [] }))
      .catch((error: unknown) =>
        this.context.logger.warn("corpus.progress_edit_failed", { interactionId: this.interaction.id, error }),
      );
  }
}
