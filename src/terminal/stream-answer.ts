import type { Answer, AnswerSentence } from "../answer/answer.js";
import { ask } from "../commands/ask.js";
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
): Promise<Answer> {
  let shown = 0;
  const answer = await ask(services, question, (partial) => {
    for (const s of partial.sentences.slice(shown)) write(`${shown++ === 0 ? "" : " "}${sentenceLine(s)}`);
  });
  if (shown === 0) {
    write(`${formatAnswer(answer)}\n`);
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
  write(`\n\n${formatSources(answer)}\n`);
  return answer;
}
