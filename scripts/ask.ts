import { createInterface } from "node:readline";
import type { Answer } from "../src/answer/answer.js";
import { ask } from "../src/commands/ask.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { formatAnswer } from "../src/terminal/format.js";
import { fail, startScript } from "./cli.js";

const USAGE = `
Usage: npm run ask -- [--json] "question"
       npm run --silent ask -- --json < questions.txt

Answers a question from the index (building it first if there is none), quoting the
articles and citing every passage it draws on, or says the articles don't answer it.

Options:
  --json      print one JSON object: {"question", "abstained", "answer", "citations": [...]};
              with no question argument, read one question per line from standard input
              and print one JSON object per line (JSON Lines)
  -h, --help  show this help
`;

const { values, positionals, config } = startScript(USAGE, { json: { type: "boolean" } });
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
const question = positionals.join(" ");
if (!values.json && question.trim() === "")
  fail('Give a question, e.g. npm run ask -- "What are the main issues?" (see --help)');

let services: Services;
try {
  ({ services } = await compose({ paths: config, logger, index: "open-or-build" }));
} catch (error) {
  fail(errorMessage(error), 1);
}

/** The JSON shape promised by --help (the full passage text in each citation). */
function toJson(answer: Answer): object {
  return {
    question: answer.question,
    abstained: answer.abstained,
    answer: answer.answer,
    citations: answer.citations.map((c) => ({
      n: c.n,
      id: c.id,
      source: c.source,
      title: c.title,
      location: c.location,
      text: c.text,
    })),
  };
}

if (values.json && question.trim() === "") {
  // JSON Lines: the index is loaded once for the whole stream.
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (line.trim() === "") continue;
    try {
      process.stdout.write(`${JSON.stringify(toJson(await ask(services, line)))}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) logger.error("ask.failed", { error });
      process.stdout.write(`${JSON.stringify({ question: line, error: errorMessage(error) })}\n`);
    }
  }
} else {
  try {
    const answer = await ask(services, question);
    process.stdout.write(values.json ? `${JSON.stringify(toJson(answer))}\n` : `${formatAnswer(answer)}\n`);
  } catch (error) {
    fail(errorMessage(error), error instanceof UserError ? 2 : 1);
  }
}
