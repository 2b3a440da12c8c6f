import { Answerer } from "../../../src/answer/answerer.js";
import type { Services } from "../../../src/commands/services.js";
import { ExactSearch } from "../../../src/index/exact-search.js";
import type { EvalSet } from "./eval-set.js";
import { evaluate, isNearMiss, type System, type SystemScores } from "./evaluate.js";

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
 * Scores Passage as shipped and its baselines on one set, all over the served index: BM25
 * alone, dense alone (HNSW), and hybrid with exact brute-force search instead of HNSW.
 */
export async function compareSystems(services: Services, set: EvalSet, setName: string): Promise<EvalReport> {
  const { indexes, embedder, concepts } = services;
  const index = indexes.current;
  const exact = new ExactSearch(
    await embedder.embedDocuments(index.passages.map((p) => p.pageContent)),
    embedder.dimension,
  );
  const systems: System[] = [
    { name: "passage", answerer: new Answerer(index, embedder, concepts) },
    { name: "bm25", answerer: new Answerer(index, embedder, concepts, { retrieval: { mode: "lexical" } }) },
    { name: "dense", answerer: new Answerer(index, embedder, concepts, { retrieval: { mode: "dense" } }) },
    { name: "exact", answerer: new Answerer(index, embedder, concepts, { denseSearch: exact }) },
  ];
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
