import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ask, MAX_QUESTION_CHARS } from "../commands/ask.js";
import type { Services } from "../commands/services.js";
import { errorMessage, UserError } from "../errors.js";
import { truncate } from "../text/truncate.js";
import { answerJson } from "./json.js";
import { type LocalAsker, logLocalAnswer } from "./log-answer.js";

/**
 * Answers one question per line of `input` as JSON Lines on `output`, for programs: the index
 * is loaded once for the whole stream. Blank lines are skipped; a question that cannot be
 * answered gets `{"question", "error"}` on its line instead of ending the stream. With an
 * `asker`, each answer is logged to the answer log (when there is one) after its line is written.
 */
export async function runJsonLines(
  services: Services,
  input: Readable,
  output: Writable,
  asker: LocalAsker | null = null,
): Promise<void> {
  for await (const line of createInterface({ input, terminal: false })) {
    if (line.trim() === "") continue;
    try {
      const startedAt = performance.now();
      const answer = await ask(services, line);
      output.write(`${JSON.stringify(answerJson(answer))}\n`);
      if (asker) await logLocalAnswer(services, answer, asker, line, startedAt);
    } catch (error) {
      if (!(error instanceof UserError)) services.logger.error("ask.failed", { error });
      // A line can be megabytes long; the error names the question, it need not repeat all of it.
      const question = truncate(line, MAX_QUESTION_CHARS);
      output.write(`${JSON.stringify({ question, error: errorMessage(error) })}\n`);
    }
  }
}
