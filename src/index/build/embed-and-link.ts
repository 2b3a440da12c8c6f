import { setImmediate } from "node:timers/promises";
import type { Passage } from "../../corpus/passage.js";
import type { PassageEmbedder } from "../../embed/embedder.js";
import { IndexError } from "../../errors.js";
import { at, u32At } from "../checked-at.js";
import type { HnswBuilder } from "../hnsw-builder.js";
import type { GraphLayout } from "./prepare-graph.js";
import type { OnProgress } from "./progress.js";

/** Embedded batches that may wait for the graph worker: bounds memory when linking is the slower side. */
const MAX_BATCHES_IN_FLIGHT = 8;

/** What embedAndLink works on. */
export interface LinkJob {
  /** The graph, in its worker, that the vectors are added to. */
  readonly builder: HnswBuilder;
  readonly embedder: PassageEmbedder;
  readonly passages: readonly Passage[];
  /** Positions of the passages to embed, and the label of every passage's vector. */
  readonly layout: GraphLayout;
  /** Texts per embedder call: bounds memory and how long the event loop waits between batches. */
  readonly batchSize: number;
  /** Called with each batch's positions once it is embedded, while the worker links it. */
  readonly alongside: (batch: readonly number[]) => void;
  readonly onProgress: OnProgress;
}

/**
 * Embeds the passages the layout lists in batches on this thread and hands each batch to the
 * graph worker, which links it while the next batch is embedded. Between batches the event
 * loop runs, so a server keeps answering questions during a rebuild.
 */
export async function embedAndLink(job: LinkJob): Promise<void> {
  const { builder, embedder, passages, batchSize, alongside, onProgress } = job;
  const { embed: todo, labels } = job.layout;
  const total = todo.length;
  let embedded = 0;
  let linked = 0;
  let failure: unknown = null;
  const inFlight: Promise<void>[] = [];
  onProgress?.({ phase: "embed", done: 0, total });
  for (let i = 0; i < total; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch.map((p) => at(passages, p).pageContent));
    if (vectors.length !== batch.length)
      throw new IndexError(
        "EMBEDDING_COUNT",
        `the embedder returned ${vectors.length} vectors for ${batch.length} texts`,
      );
    const add = builder.add(
      vectors,
      batch.map((p) => u32At(labels, p)),
      embedder.dimension,
    );
    // Never left rejected without a handler while this loop awaits something else.
    inFlight.push(
      add.then(
        () => {
          linked += batch.length;
          if (embedded === total) onProgress?.({ phase: "graph", done: linked, total });
        },
        (error: unknown) => {
          failure ??= error;
        },
      ),
    );
    alongside(batch);
    embedded += batch.length;
    onProgress?.({ phase: "embed", done: embedded, total });
    if (failure) throw failure;
    while (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
    // Local embedding is synchronous work: let the event loop answer questions between batches.
    await setImmediate();
  }
  onProgress?.({ phase: "graph", done: linked, total });
  await Promise.all(inFlight);
  if (failure) throw failure;
  onProgress?.({ phase: "graph", done: total, total });
}
