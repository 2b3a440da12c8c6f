import type { BuildResult } from "../index/build-index.js";
import type { Logger } from "../log.js";
import type { CorpusState, CorpusStore } from "../store/types.js";
import type { CorpusManager } from "./corpus-manager.js";
import type { SharedCorpus } from "./shared-corpus.js";

export interface CorpusReplicationOptions {
  readonly shared: SharedCorpus;
  readonly store: CorpusStore;
  readonly logger: Logger;
  /** Seconds between version checks besides NOTIFY: what catches a notification missed while disconnected. */
  readonly pollSeconds: number;
}

/**
 * Keeps this replica's corpus and index in step with every other replica's (issue 15). A change
 * made here is published to the shared corpus (`publish`, the corpus manager's `onChange`); one
 * made elsewhere arrives by NOTIFY, or by the poll when a notification was missed, and is pulled
 * into the folder and indexed through the corpus manager's queue. A publish that fails (the
 * database away) is kept and retried at each poll, so the change is shared once it is back.
 */
export class CorpusReplication {
  private manager: CorpusManager | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly unpublished = new Set<string>();
  private following: Promise<BuildResult | null> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: CorpusReplicationOptions) {}

  /** The shared corpus version this replica's folder last matched. */
  get version(): number {
    return this.options.shared.version;
  }

  /** Sources changed here whose publication is still waiting for the database. */
  get pending(): number {
    return this.unpublished.size;
  }

  /** Shares a change made here; on failure keeps it for the next poll. Never throws. */
  publish = async (sources: readonly string[]): Promise<void> => {
    for (const s of sources) this.unpublished.add(s);
    await this.flush();
  };

  /**
   * After any rebuild here (a /reindex, watch mode, a change): records in the shared corpus what
   * the folder holds that it does not. Never throws.
   */
  afterRebuild = (): void => {
    if (this.stopped) return;
    void this.flush()
      .then(() => this.options.shared.publishFolder())
      .catch((error: unknown) => this.options.logger.error("corpus.publish_failed", { error }));
  };

  /** Starts following the other replicas' changes through `manager` (LISTEN/NOTIFY, and a poll). */
  async start(manager: CorpusManager): Promise<void> {
    this.manager = manager;
    try {
      this.unlisten = await this.options.store.listen((state) => this.onShared(state));
    } catch (error) {
      // The poll still catches every change; it is only slower.
      this.options.logger.warn("corpus.listen_failed", { error });
    }
    this.timer = setInterval(() => void this.poll(), this.options.pollSeconds * 1000);
    this.timer.unref();
    await this.poll();
  }

  /** Stops following; waits for a pull under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = null;
    await this.following?.catch(() => undefined);
  }

  /** One poll: retries unpublished changes, then takes in any newer shared version. */
  async poll(): Promise<void> {
    if (this.stopped) return;
    await this.flush();
    try {
      this.onShared(await this.options.store.state());
    } catch (error) {
      this.options.logger.warn("corpus.poll_failed", { error });
    }
    await this.following?.catch(() => undefined);
  }

  private onShared(state: CorpusState): void {
    if (this.stopped || !this.manager || state.version <= this.options.shared.version) return;
    // Local changes not yet shared would be overwritten by a pull: share them first.
    if (this.unpublished.size > 0) return;
    if (this.following) {
      this.again = true;
      return;
    }
    const manager = this.manager;
    this.following = manager
      .follow(() => this.options.shared.pull())
      .then(
        (built) => {
          if (built)
            this.options.logger.info("corpus.replica_updated", {
              version: this.options.shared.version,
              corpusChecksum: built.index.manifest.corpusChecksum,
            });
          return built;
        },
        (error: unknown) => {
          this.options.logger.error("corpus.replica_update_failed", { error });
          return null;
        },
      )
      .finally(() => {
        this.following = null;
        if (this.again) {
          this.again = false;
          void this.poll();
        }
      });
  }

  private async flush(): Promise<void> {
    if (this.unpublished.size === 0) return;
    const sources = [...this.unpublished];
    try {
      await this.options.shared.publish(sources);
      for (const s of sources) this.unpublished.delete(s);
    } catch (error) {
      this.options.logger.error("corpus.publish_failed", { sources, error });
    }
  }
}
