import { Answerer } from "../../../src/answer/answerer.js";
import type { Services } from "../../../src/commands/services.js";
import { ExactSearch } from "../../../src/index/exact-search.js";
import { Retriever } from "../../../src/retrieval/retriever.js";
import {
  answererSystem,
  bestSentenceSystem,
  byEmbedding,
  byWordOverlap,
  generatedSystem,
  type System,
} from "./baselines.js";
import type { EvalSet } from "./eval-set.js";
import { evaluate, isNearMiss, type SystemScores } from "./evaluate.js";

/**
 * "quoted": Passage as shipped offline beside its baselines; "generated": Passage quoted beside
 * Passage with the configured model writing the answers.
 */
export type EvalMode = "quoted" | "generated";

/** What `npm run eval -- --json` prints: the set, the index, and each system's scores. */
export interface EvalReport {
  /** The set's file, as given. */
  readonly set: string;
  readonly answerable: number;
  readonly unanswerable: number;
  /** How many of the unanswerable questions are near misses, and how many off-topic. */
  readonly nearMisses: number;
  readonly offTopic: number;
  readonly passages: number;
  readonly embedder: string;
  readonly systems: readonly SystemScores[];
}

/**
 * Scores Passage as shipped and its baselines on one set, all over the served index: two naive
 * bots that quote the best sentence of the first passage BM25 alone or dense search alone finds
 * (by shared words, by embedding) and never abstain, and Passage with exact brute-force search
 * instead of HNSW.
 */
export async function compareSystems(
  services: Services,
  set: EvalSet,
  setName: string,
  mode: EvalMode = "quoted",
): Promise<EvalReport> {
  const { indexes, embedder, concepts } = services;
  const index = indexes.current;
  const systems: System[] = [answererSystem("passage", new Answerer(index, embedder, concepts))];
  if (mode === "generated") {
    const generator = services.generator();
    if (!generator)
      throw new Error("--mode generated needs a model: set LLM_BASE_URL or LLM_PROVIDER (README, Using a model).");
    systems.push(generatedSystem(`generated · ${generator.model.name}`, generator));
  } else {
    const exact = new ExactSearch(
      await embedder.embedDocuments(index.passages.map((p) => p.pageContent)),
      embedder.dimension,
    );
    systems.push(
      bestSentenceSystem("bm25", new Retriever(index, embedder, concepts, { mode: "lexical" }), byWordOverlap(index)),
      bestSentenceSystem("dense", new Retriever(index, embedder, concepts, { mode: "dense" }), byEmbedding(embedder)),
      answererSystem("exact", new Answerer(index, embedder, concepts, { denseSearch: exact })),
    );
  }
  const scores: SystemScores[] = [];
  // One after the other: their latencies are measured, and would disturb each other.
  for (const s of systems) scores.push(await evaluate(s, set));
  const nearMisses = set.unanswerable.filter(isNearMiss).length;
  return {
    set: setName,
    answerable: set.answerable.length,
    unanswerable: set.unanswerable.length,
    nearMisses,
    offTopic: set.unanswerable.length - nearMisses,
    passages: index.manifest.passageCount,
    embedder: embedder.id,
    systems: scores,
  };
}
