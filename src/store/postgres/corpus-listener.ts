import pg from "pg";
import { z } from "zod";
import { errorMessage } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { CorpusState } from "../types.js";

/** The channel every change to the shared corpus is announced on. */
export const CORPUS_CHANNEL = "passage_corpus";

/** A corpus state as `corpus_state` holds it and as the NOTIFY payload carries it. */
export const CORPUS_STATE = z.object({ checksum: z.string().nullable(), version: z.coerce.number().int() });

/** How a lost listening connection is re-made. */
export interface ListenRetry {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_LISTEN_RETRY = { initialDelayMs: 500, maxDelayMs: 15_000 } as const satisfies ListenRetry;

/**
 * LISTENs for corpus changes on a connection of its own (a pooled one would be handed to other
 * queries). When PostgreSQL drops the connection it reconnects with backoff, logging each
 * attempt, for as long as it is not stopped; once back it calls `onChange` with the current
 * state, since changes made while it was away were announced to no one.
 */
export class CorpusListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;

  constructor(
    private readonly url: string,
    private readonly target: string,
    private readonly logger: Logger,
    private readonly onChange: (state: CorpusState) => void,
    private readonly readState: () => Promise<CorpusState>,
    private readonly retry: ListenRetry = DEFAULT_LISTEN_RETRY,
  ) {}

  /** Connects and LISTENs; rejects when the first connection fails (the store is not usable then either). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Stops listening and reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: "passage-listen" });
    // pg emits 'error' then 'end' for a connection the server dropped; both lead to one reconnect.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel !== CORPUS_CHANNEL) return;
      const parsed = CORPUS_STATE.safeParse(safeJson(message.payload));
      if (parsed.success) this.onChange(parsed.data);
      else this.logger.warn("store.corpus_notify_malformed", { payload: message.payload ?? null });
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CORPUS_CHANNEL}`);
    } catch (error) {
      this.client = null;
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.logger.warn("store.corpus_listen_lost", { target: this.target, error: errorMessage(error) });
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.attempt++;
    const delayMs = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (this.attempt - 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reconnect(delayMs);
    }, delayMs);
    // A listener waiting to reconnect must not keep a stopping process alive.
    this.timer.unref();
  }

  private async reconnect(delayMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn("store.corpus_listen_retry", {
        target: this.target,
        attempt: this.attempt,
        delayMs,
        error: errorMessage(error),
      });
      this.schedule();
      return;
    }
    if (this.stopped) {
      await this.stop();
      return;
    }
    this.logger.info("store.corpus_listen_resumed", { target: this.target, attempts: this.attempt });
    this.attempt = 0;
    try {
      this.onChange(await this.readState());
    } catch (error) {
      this.logger.warn("store.corpus_state_unread", { target: this.target, error: errorMessage(error) });
    }
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return null;
  }
}
