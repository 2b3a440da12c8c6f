import { type Exchange, pause } from "./exchange.js";
import { hashEmbedding } from "./hash-embedding.js";
import {
  type ChatReply,
  type ChatRequest,
  DEFAULT_CHAT_TEXT,
  type EmbeddingsReply,
  type EmbeddingsRequest,
  type EmbedReply,
  ReplyQueue,
} from "./replies.js";

/** Everything recorded by one fake server (requests of any route, in arrival order). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body; `undefined` for requests without one (GET). */
  body: unknown;
  at: number;
}

/** The scripting and the records both APIs share. */
export class ModelState {
  readonly chat = new ReplyQueue<ChatReply>(DEFAULT_CHAT_TEXT);
  readonly embeddings = new ReplyQueue<EmbeddingsReply>({});
  readonly requests: RecordedRequest[] = [];
  readonly chatRequests: ChatRequest[] = [];
  readonly embeddingsRequests: EmbeddingsRequest[] = [];
  embeddedInputs = 0;

  constructor(
    readonly models: readonly string[],
    readonly dimension: number,
    readonly dimensions: Readonly<Record<string, number>>,
  ) {}

  recordChat(request: ChatRequest): void {
    this.chatRequests.push(request);
  }

  recordEmbeddings(request: EmbeddingsRequest): void {
    this.embeddingsRequests.push(request);
  }

  /** The dimension for `model`: the caller's `dimensions` field, the model's, or the server's. */
  dimensionFor(model: string, requested: unknown): number {
    if (typeof requested === "number" && Number.isInteger(requested) && requested > 0) return requested;
    return this.dimensions[model] ?? this.dimension;
  }

  /**
   * The vectors for a normal reply after its delay; null when the client went away or the
   * server closed meanwhile. Inputs count as embedded only when the answer is sent.
   */
  async embed(request: EmbeddingsRequest, reply: EmbedReply, exchange: Exchange): Promise<number[][] | null> {
    if (!(await pause(reply.delayMs ?? 0, exchange.signal))) return null;
    const dimension = this.dimensionFor(request.model, request.body.dimensions);
    this.embeddedInputs += request.inputs.length;
    return reply.vectors ?? request.inputs.map((input) => hashEmbedding(input, dimension));
  }
}
