import type { APIButtonComponent, APIEmbed } from "discord.js";
import type { Answer, AnswerSentence, Citation, PartialAnswer } from "../../answer/answer.js";
import { safeExcerpt } from "../escape.js";
import { DISCORD_LIMITS, fitEmbed } from "../limits.js";
import { feedbackRow } from "./feedback.js";
import { COLOURS, type RenderedMessage } from "./message.js";
import { passageButtons } from "./passage.js";

/** How an answer is shown beyond its content: timing, the follow-up as typed, its feedback row. */
export interface AnswerRenderInfo {
  readonly ms?: number;
  /** A follow-up as the member typed it; the title is then the question as understood. */
  readonly followUp?: string;
  /** Adds the feedback row (👍, 👎, Follow up, and `extra`) for the logged answer's id (null: not logged). */
  readonly feedback?: { readonly answerId: string | null; readonly extra?: readonly APIButtonComponent[] };
}

/** Rows of passage buttons under an answer that also carries the feedback row (Discord allows five rows). */
const PASSAGE_ROWS_WITH_FEEDBACK = 4;

/** Characters of a passage quoted under an answer; the button shows the rest. */
const EXCERPT_CHARS = 300;

/** What the footer says a reply is, by its kind. */
const FOOTERS: Readonly<Record<Answer["kind"], string>> = {
  answer: "Quoted from the corpus",
  overview: "Overview of the corpus, quoted from it",
  abstained: "No answer in the corpus",
};

/**
 * What the footer says of how the reply was made: quoted, written by a model and verified (with
 * the sentences verification removed), or quoted because the configured model was unavailable.
 */
export function footerText(answer: Answer, info: Pick<AnswerRenderInfo, "ms"> = {}): string {
  const parts: string[] = [];
  if (answer.generated) {
    const { model, removed } = answer.generated;
    parts.push(
      answer.abstained
        ? `No answer in the corpus · ${model} wrote none that its sources support`
        : `Written by ${model} from the corpus; every sentence checked against its source`,
    );
    if (removed > 0) parts.push(`${removed} unsupported sentence${removed === 1 ? "" : "s"} removed`);
  } else {
    parts.push(FOOTERS[answer.kind]);
    if (answer.modelUnavailable) parts.push(`${answer.modelUnavailable.model} unavailable, so quoted instead`);
  }
  parts.push(answer.method);
  if (info.ms !== undefined) parts.push(`${Math.round(info.ms)} ms`);
  return parts.join(" · ");
}

/** A sentence as shown: its text, escaped, then its citation markers in bold. */
function sentenceText(s: AnswerSentence): string {
  const marks = (s.cites ?? [s.n]).map((n) => `[${n}]`).join("");
  return `${safeExcerpt(s.text, DISCORD_LIMITS.embedDescription)} **${marks}**`;
}

/**
 * A generated answer while the model is still writing: the sentences verified so far, marked as
 * in progress, with no sources or buttons yet (the final edit brings them).
 */
export function renderPartialAnswer(partial: PartialAnswer, model: string): RenderedMessage {
  const text = partial.sentences.map(sentenceText).join(" ");
  const embed: APIEmbed = {
    color: COLOURS.answer,
    title: safeExcerpt(partial.question, DISCORD_LIMITS.embedTitle),
    description: `${text} …`,
    footer: { text: `${model} is writing · each sentence is shown once it is checked against its source` },
  };
  return { embeds: [fitEmbed(embed)], components: [] };
}

/**
 * An answer as a Discord message: the answer text with its [n] markers, one field per source
 * (article, location, a quoted excerpt), a footer saying how it was made, and a "Passage n"
 * button per citation. An overview shows its opening line and one bulleted point per line.
 * Every piece is escaped and fitted to Discord's limits.
 */
export function renderAnswer(answer: Answer, info: AnswerRenderInfo = {}): RenderedMessage {
  const embed: APIEmbed = {
    color: answer.abstained ? COLOURS.abstain : COLOURS.answer,
    title: safeExcerpt(answer.question, DISCORD_LIMITS.embedTitle),
    description: description(answer),
    fields: answer.citations.map((c, i) => ({
      name: `${i === 0 ? (answer.abstained ? "Closest passages — " : "Sources — ") : ""}${citationHeading(c)}`,
      value: `> ${safeExcerpt(c.text, EXCERPT_CHARS)}`,
    })),
    footer: { text: footerText(answer, info) },
  };
  // The author line is plain text (Discord renders no Markdown or mentions there), so it is not escaped.
  if (info.followUp !== undefined) embed.author = { name: `Follow-up “${info.followUp}”, understood as:` };
  const passages = passageButtons(answer.citations);
  if (!info.feedback) return { embeds: [fitEmbed(embed)], components: passages };
  return {
    embeds: [fitEmbed(embed)],
    components: [
      ...passages.slice(0, PASSAGE_ROWS_WITH_FEEDBACK),
      feedbackRow(info.feedback.answerId, info.feedback.extra),
    ],
  };
}

function description(answer: Answer): string {
  if (answer.abstained) {
    const nearest = answer.citations.length > 0 ? " The nearest passages are below." : "";
    return `${safeExcerpt(answer.answer, DISCORD_LIMITS.embedDescription)}\n\nIt can only answer from its articles, and none of them covers this.${nearest}`;
  }
  const points = answer.sentences.map(sentenceText);
  if (answer.kind !== "overview") return points.join(" ");
  const opening = answer.answer.split("\n")[0] ?? "";
  return [safeExcerpt(opening, DISCORD_LIMITS.embedDescription), ...points.map((p) => `• ${p}`)].join("\n");
}

function citationHeading(c: Citation): string {
  return safeExcerpt(`[${c.n}] ${c.title} · ${c.location}`, DISCORD_LIMITS.embedFieldName);
}
