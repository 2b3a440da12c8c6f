import { HnswBuilder } from "../hnsw-builder.js";
import type { IndexRecipe, ReuseDecision, ReusePlan } from "./plan-reuse.js";
import type { PreviousGraph } from "./previous-index.js";

/** Where each passage's vector goes in the graph, and which passages are embedded. */
export interface GraphLayout {
  /** Points in the graph, deleted ones included. */
  readonly slots: number;
  /** Label of each passage's vector, by position. */
  readonly labels: Uint32Array;
  /** Positions of the passages to embed and link. */
  readonly embed: readonly number[];
}

/** A graph in a worker, ready for the passages to be embedded and linked. */
export interface PreparedGraph {
  readonly builder: HnswBuilder;
  readonly layout: GraphLayout;
  /** The plan being carried out, or null for a full build. */
  readonly plan: ReusePlan | null;
  /** Why the build is full although there was an index to reuse (null for incremental builds, or when there was none). */
  readonly fullBecause: string | null;
}

/**
 * Carries out the plan on the previous graph when both are there (grows it to the new slot
 * count and marks the removed passages deleted); otherwise closes the previous graph and
 * starts an empty one for all `passageCount` passages.
 */
export async function prepareGraph(
  decision: ReuseDecision,
  previous: PreviousGraph,
  passageCount: number,
  recipe: IndexRecipe,
): Promise<PreparedGraph> {
  const { plan } = decision;
  if (plan && previous.builder) {
    await previous.builder.reserve(plan.slots);
    await previous.builder.markDeleted(plan.removed);
    const layout = { slots: plan.slots, labels: plan.labels, embed: plan.embed };
    return { builder: previous.builder, layout, plan, fullBecause: null };
  }
  await previous.builder?.close();
  const builder = await HnswBuilder.create(recipe.embedder.dimension, recipe.hnsw, passageCount);
  const layout = {
    slots: passageCount,
    labels: Uint32Array.from({ length: passageCount }, (_, i) => i),
    embed: Array.from({ length: passageCount }, (_, i) => i),
  };
  return { builder, layout, plan: null, fullBecause: decision.because ?? previous.problem };
}
