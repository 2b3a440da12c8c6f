import type { Answer, AnswerSentence, PartialAnswer } from "../answer/answer.js";
import { ask, cleanQuestion } from "../commands/ask.js";
import { askFollowUp } from "../commands/follow-up.js";
import type { Services } from "../commands/services.js";
import { formatAnswer, formatSources } from "./format.js";

/** A sentence as the terminal prints it: its text, then its markers. */
function sentenceLine(s: AnswerSentence): string {
  return `${s.text} ${(s.cites ?? [s.n]).map((n) => `[${n}]`).join("")}`;
}

/**
 * Asks, and prints the answer to `write` as it comes: with a model, each sentence as soon as it
 * passes verification, then the sources; without one, the whole answer at once. If the model
 * fails after some sentences were shown, the quoted answer follows under a line saying so.
 * Ends with a newline. Returns the final answer.
 */
export async function askAndPrint(
  services: Services,
  question: string,
  write: (text: string) => void,
  /** The question asked before, when this one may follow up on it (the chat keeps it between lines). */
  previous: string | null = null,
): Promise<Answer> {
  let shown = 0;
  const onPartial = (partial: PartialAnswer) => {
    for (const s of partial.sentences.slice(shown)) write(`${shown++ === 0 ? "" : " "}${sentenceLine(s)}`);
  };
  const answer =
    previous === null
      ? await ask(services, question, onPartial)
      : await askFollowUp(services, previous, question, onPartial);
  // A follow-up is shown as understood, so the reader can tell what was answered.
  const understood = answer.question !== cleanQuestion(question) ? `(Understood as: ${answer.question})\n` : "";
  if (shown === 0) {
    write(`${understood}${formatAnswer(answer)}\n`);
    return answer;
  }
  const streamed = answer.generated !== undefined && !answer.abstained && answer.sentences.length >= shown;
  if (!streamed) {
    write(
      `\n\n(The model stopped before it finished; here is the answer again as it stands.)\n${formatAnswer(answer)}\n`,
    );
    return answer;
  }
  for (const s of answer.sentences.slice(shown)) write(` ${sentenceLine(s)}`);
  write(`\n\n${formatSources(answer)}\n${understood}`);
  return answer;
}
