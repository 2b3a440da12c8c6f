import type { Answer } from "../../../src/answer/answer.js";
import type { Answerer } from "../../../src/answer/answerer.js";
import { percentile } from "../stats.js";
import type { EvalSet } from "./eval-set.js";

/** The scores of one system on an evaluation set. */
export interface SystemScores {
  readonly system: string;
  /** Share of answerable questions whose gold passage is ranked first / in the top 3 / top 5. */
  readonly recallAt1: number;
  readonly recallAt3: number;
  readonly recallAt5: number;
  /** Mean reciprocal rank of the gold passage within the top 10 (0 when absent). */
  readonly mrr: number;
  /** Share of answerable questions whose answer text (not only its sources) contains the gold span. */
  readonly answerHitRate: number;
  /** Share of answerable questions it declined to answer. */
  readonly falseAbstentionRate: number;
  /** Share of unanswerable questions it declined to answer. */
  readonly abstentionRate: number;
  /** Cited passages holding the gold span, over all passages cited in answers to answerable questions. */
  readonly citationPrecision: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number };
}

/** A named way of answering, as compared by `npm run eval`. */
export interface System {
  readonly name: string;
  readonly answerer: Answerer;
}

/**
 * Scores a system on every question of the set: retrieval recall and MRR (a passage is relevant
 * when it contains the gold span), answer hit rate, abstention both ways, citation precision
 * and per-question latency (retrieval and answer together).
 */
export async function evaluate(system: System, set: EvalSet): Promise<SystemScores> {
  const latencies: number[] = [];
  const timed = async (question: string): Promise<Answer> => {
    const started = performance.now();
    const answer = await system.answerer.answer(question);
    latencies.push(performance.now() - started);
    return answer;
  };
  let r1 = 0;
  let r3 = 0;
  let r5 = 0;
  let rr = 0;
  let hits = 0;
  let falseAbstentions = 0;
  let cited = 0;
  let citedRight = 0;
  for (const q of set.answerable) {
    const ranking = await system.answerer.retriever.retrieve(q.question, 10);
    const rank = ranking.passages.findIndex((p) => p.passage.pageContent.includes(q.gold));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 3) r3++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) rr += 1 / (rank + 1);
    const answer = await timed(q.question);
    if (answer.abstained) {
      falseAbstentions++;
      continue;
    }
    if (answer.answer.includes(q.gold)) hits++;
    cited += answer.citations.length;
    citedRight += answer.citations.filter((c) => c.text.includes(q.gold)).length;
  }
  let abstained = 0;
  for (const q of set.unanswerable) if ((await timed(q.question)).abstained) abstained++;
  const n = set.answerable.length || 1;
  return {
    system: system.name,
    recallAt1: r1 / n,
    recallAt3: r3 / n,
    recallAt5: r5 / n,
    mrr: rr / n,
    answerHitRate: hits / n,
    falseAbstentionRate: falseAbstentions / n,
    abstentionRate: abstained / (set.unanswerable.length || 1),
    citationPrecision: cited > 0 ? citedRight / cited : 0,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}
