import type { Answer } from "../../../src/answer/answer.js";
import { percentile } from "../stats.js";
import type { System } from "./baselines.js";
import type { AnswerableQuestion, EvalSet, UnanswerableQuestion } from "./eval-set.js";

/** How a system did on the answerable questions of one phrasing style. */
export interface StyleScores {
  readonly questions: number;
  /** Share of these questions whose answer text contains the gold span. */
  readonly answerHitRate: number;
  /** Share of these questions it declined to answer. */
  readonly falseAbstentionRate: number;
}

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
  /** The same over near misses only (on-topic, not covered); null when the set has none. */
  readonly nearMissAbstentionRate: number | null;
  /** The same over off-topic questions only (any without `"nearMiss": true`); null when the set has none. */
  readonly offTopicAbstentionRate: number | null;
  /** Cited passages holding the gold span, over all passages cited in answers to answerable questions. */
  readonly citationPrecision: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  /** Answer hit and false abstention per phrasing style, styles in order of first appearance. */
  readonly byStyle: Readonly<Record<string, StyleScores>>;
  /** What verification did to a model's answers; null for a system that never used a model. */
  readonly generation: GenerationScores | null;
}

/** How a model's answers fared in verification, over every question of the set. */
export interface GenerationScores {
  /** Answers the model wrote (the questions it was asked). */
  readonly answers: number;
  /** Sentences it wrote that passed verification, and that verification removed. */
  readonly kept: number;
  readonly removed: number;
  /** kept / (kept + removed); null when it wrote no sentence. */
  readonly keptShare: number | null;
  /** Answers quoted instead because the model was unavailable (timeout, refused, 5xx, 429). */
  readonly unavailable: number;
}

/** Tallies what verification kept and removed of a system's generated answers. */
class GenerationTally {
  private answers = 0;
  private kept = 0;
  private removed = 0;
  private unavailable = 0;

  add(answer: Answer): void {
    if (answer.modelUnavailable) this.unavailable++;
    if (!answer.generated) return;
    this.answers++;
    this.removed += answer.generated.removed;
    if (!answer.abstained) this.kept += answer.sentences.length;
  }

  scores(): GenerationScores | null {
    if (this.answers === 0 && this.unavailable === 0) return null;
    const written = this.kept + this.removed;
    return {
      answers: this.answers,
      kept: this.kept,
      removed: this.removed,
      keptShare: written > 0 ? this.kept / written : null,
      unavailable: this.unavailable,
    };
  }
}

/** The style an answerable question without one is counted under in `byStyle`. */
export const NO_STYLE = "(none)";

/**
 * Whether an unanswerable question counts as a near miss. Only an explicit `"nearMiss": true`
 * does: a question nobody classified is counted as off-topic, the easier kind to decline, so an
 * unflagged set never flatters the near-miss figure.
 */
export function isNearMiss(q: UnanswerableQuestion): boolean {
  return q.nearMiss === true;
}

/**
 * Scores a system on every question of the set: retrieval recall and MRR (a passage is relevant
 * when it contains the gold span), answer hit rate, abstention both ways (on unanswerable
 * questions overall, near misses and off-topic apart), citation precision, per-question latency
 * (retrieval and answer together), and answer hit per phrasing style.
 */
export async function evaluate(system: System, set: EvalSet): Promise<SystemScores> {
  const latencies: number[] = [];
  const generation = new GenerationTally();
  const timed = async (question: string): Promise<Answer> => {
    const started = performance.now();
    const answer = await system.answer(question);
    latencies.push(performance.now() - started);
    generation.add(answer);
    return answer;
  };
  let r1 = 0;
  let r3 = 0;
  let r5 = 0;
  let rr = 0;
  let cited = 0;
  let citedRight = 0;
  const outcomes: { q: AnswerableQuestion; hit: boolean; abstained: boolean }[] = [];
  for (const q of set.answerable) {
    const ranking = await system.retrieve(q.question, 10);
    const rank = ranking.findIndex((p) => p.passage.pageContent.includes(q.gold));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 3) r3++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) rr += 1 / (rank + 1);
    const answer = await timed(q.question);
    outcomes.push({ q, hit: !answer.abstained && answer.answer.includes(q.gold), abstained: answer.abstained });
    if (answer.abstained) continue;
    cited += answer.citations.length;
    citedRight += answer.citations.filter((c) => c.text.includes(q.gold)).length;
  }
  const declined: { nearMiss: boolean; abstained: boolean }[] = [];
  for (const q of set.unanswerable) {
    declined.push({ nearMiss: isNearMiss(q), abstained: (await timed(q.question)).abstained });
  }
  const n = set.answerable.length || 1;
  const abstainedShare = (kind: readonly { abstained: boolean }[]) =>
    kind.length === 0 ? null : kind.filter((x) => x.abstained).length / kind.length;
  return {
    system: system.name,
    recallAt1: r1 / n,
    recallAt3: r3 / n,
    recallAt5: r5 / n,
    mrr: rr / n,
    answerHitRate: outcomes.filter((o) => o.hit).length / n,
    falseAbstentionRate: outcomes.filter((o) => o.abstained).length / n,
    abstentionRate: abstainedShare(declined) ?? 0,
    nearMissAbstentionRate: abstainedShare(declined.filter((d) => d.nearMiss)),
    offTopicAbstentionRate: abstainedShare(declined.filter((d) => !d.nearMiss)),
    citationPrecision: cited > 0 ? citedRight / cited : 0,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    byStyle: scoresByStyle(outcomes),
    generation: generation.scores(),
  };
}

function scoresByStyle(
  outcomes: readonly { q: AnswerableQuestion; hit: boolean; abstained: boolean }[],
): Record<string, StyleScores> {
  const groups = new Map<string, { hit: boolean; abstained: boolean }[]>();
  for (const o of outcomes) {
    const style = o.q.style ?? NO_STYLE;
    groups.set(style, [...(groups.get(style) ?? []), o]);
  }
  return Object.fromEntries(
    [...groups].map(([style, os]) => [
      style,
      {
        questions: os.length,
        answerHitRate: os.filter((o) => o.hit).length / os.length,
        falseAbstentionRate: os.filter((o) => o.abstained).length / os.length,
      },
    ]),
  );
}
