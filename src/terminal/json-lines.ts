import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ask } from "../commands/ask.js";
import type { Services } from "../commands/services.js";
import { errorMessage, UserError } from "../errors.js";
import { answerJson } from "./json.js";

/**
 * Answers one question per line of `input` as JSON Lines on `output`, for programs: the index
 * is loaded once for the whole stream. Blank lines are skipped; a question that cannot be
 * answered gets `{"question", "error"}` on its line instead of ending the stream.
 */
export async function runJsonLines(services: Services, input: Readable, output: Writable): Promise<void> {
  for await (const line of createInterface({ input, terminal: false })) {
    if (line.trim() === "") continue;
    try {
      output.write(`${JSON.stringify(answerJson(await ask(services, line)))}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) services.logger.error("ask.failed", { error });
      output.write(`${JSON.stringify({ question: line, error: errorMessage(error) })}\n`);
    }
  }
}
