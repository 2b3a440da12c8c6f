import type { Logger } from "../../log.js";
import type { Answer, OnPartialAnswer } from "../answer.js";
import type { Answerer, QuotedDecision } from "../answerer.js";
import type { AnswerModel } from "./answer-model.js";
import { citeGenerated, withMarkers } from "./generated-citations.js";
import { cutSentences } from "./generated-sentences.js";
import { failureReason } from "./model-failure.js";
import { ANSWER_PROMPT, promptValues } from "./prompt.js";
import { type FailedReply, type StreamedReply, streamReply } from "./stream-reply.js";
import { type Rejected, type Verified, verificationContext, verifySentence } from "./verify.js";

/**
 * Answers in the model's own words when the articles may cover the question, and verifies
 * every sentence against the passages it cites before anyone sees it. Falls back to the quoted
 * answer when the model is unavailable.
 */
export class GenerativeAnswerer {
  constructor(
    readonly quoted: Answerer,
    readonly model: AnswerModel,
    private readonly logger: Logger,
  ) {}

  /**
   * The answer to a cleaned question:
   * - when the quoted pipeline abstains (retrieval, the focus check and the calibrated model
   *   find no support), that abstention, and the model is not asked;
   * - otherwise the model's reply to the top passages, keeping only the sentences verification
   *   passes (`generated: { model, removed }`, method "generated · <model> · <embedder>"),
   *   numbered by first use; `onPartial` sees the kept sentences each time one more passes;
   * - nothing kept, or the model says the passages don't answer: the usual abstention with
   *   the closest passages, still `generated` with the count removed;
   * - the model failing (timeout, refused, 5xx, repeated 429, malformed or empty reply): the
   *   quoted answer with `modelUnavailable: { model, reason }`, within the timeout and a second.
   * Every call that asks the model logs `answer.generated`.
   */
  async answer(question: string, onPartial?: OnPartialAnswer): Promise<Answer> {
    const decision = await this.quoted.decide(question);
    if (decision.answer.abstained) return decision.answer;
    const { passages } = decision;
    const context = verificationContext(
      passages.map((r) => ({ text: r.passage.pageContent, title: r.passage.metadata.title })),
      this.quoted.matcher.conceptSource,
    );
    const messages = await ANSWER_PROMPT.formatMessages(promptValues(decision.answer.question, passages));

    const kept: Verified[] = [];
    const rejected: Rejected[] = [];
    let checked = 0;
    let finished = false;
    // Verifies each sentence once, as soon as it is complete, and shows the reply grown by it.
    const take = (text: string, done: boolean) => {
      const sentences = cutSentences(text, done);
      let grew = false;
      for (; checked < sentences.length; checked++) {
        const verdict = verifySentence(sentences[checked] ?? "", context);
        if (verdict.ok) {
          kept.push(verdict);
          grew = true;
        } else rejected.push(verdict);
      }
      if (grew && onPartial && !finished) this.showPartial(onPartial, decision, kept);
    };

    const reply = await streamReply(this.model.chat, messages, this.model.timeoutMs, (text) => take(text, false));
    if (!reply.ok || reply.text.trim().length === 0) {
      finished = true;
      return this.unavailable(decision, reply);
    }
    take(reply.text, true);
    finished = true;
    const removed = rejected.filter((r) => r.reason !== "not-in-passages").length;
    const generated = { model: this.model.name, removed };
    const method = this.quoted.method(`generated · ${this.model.name}`);
    this.log(reply, kept, rejected, kept.length > 0 ? "answer" : "abstained");
    if (kept.length === 0) return { ...this.quoted.abstention(decision, method), generated };
    const { sentences, citations } = citeGenerated(kept, passages);
    return {
      question: decision.answer.question,
      kind: "answer",
      abstained: false,
      answer: sentences.map(withMarkers).join(" "),
      sentences,
      citations,
      method,
      ...(decision.answer.evidence ? { evidence: decision.answer.evidence } : {}),
      generated,
    };
  }

  /** Calls `onPartial`; a transport that fails to show a partial reply does not stop the answer. */
  private showPartial(onPartial: OnPartialAnswer, decision: QuotedDecision, kept: readonly Verified[]): void {
    try {
      onPartial({ question: decision.answer.question, ...citeGenerated(kept, decision.passages) });
    } catch (error) {
      this.logger.warn("answer.partial_failed", { model: this.model.name, error });
    }
  }

  /** The quoted answer, saying the model was unavailable and why. */
  private unavailable(decision: QuotedDecision, reply: StreamedReply | FailedReply): Answer {
    const reason = reply.ok
      ? "empty reply"
      : failureReason(reply.error, { timedOut: reply.timedOut, timeoutMs: this.model.timeoutMs });
    this.logger.warn("answer.generated", {
      model: this.model.name,
      outcome: "unavailable",
      reason,
      totalMs: reply.totalMs,
      ...(reply.ok || reply.error === null ? {} : { error: reply.error }),
    });
    return { ...decision.answer, modelUnavailable: { model: this.model.name, reason } };
  }

  /** One line per generated answer: timings, tokens and what verification kept. */
  private log(
    reply: StreamedReply,
    kept: readonly Verified[],
    rejected: readonly Rejected[],
    outcome: "answer" | "abstained",
  ): void {
    const reasons: Record<string, number> = {};
    for (const r of rejected) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    this.logger.info("answer.generated", {
      model: this.model.name,
      outcome,
      firstTokenMs: reply.firstTokenMs,
      totalMs: reply.totalMs,
      tokensIn: reply.tokensIn,
      tokensOut: reply.tokensOut,
      kept: kept.length,
      removed: rejected.filter((r) => r.reason !== "not-in-passages").length,
      removedReasons: reasons,
    });
    for (const r of rejected)
      this.logger.debug("answer.sentence_removed", { reason: r.reason, detail: r.detail, text: r.text });
  }
}
