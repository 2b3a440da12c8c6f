import { ask } from "../src/commands/ask.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { formatAnswer } from "../src/terminal/format.js";
import { answerJson } from "../src/terminal/json.js";
import { runJsonLines } from "../src/terminal/json-lines.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { askArguments } from "./lib/ask-arguments.js";

const USAGE = `
Usage: npm run ask -- [--json] "question"
       npm run --silent ask -- --json < questions.txt

Answers a question from the index (building it first if there is none), quoting the
articles and citing every passage it draws on, or says the articles don't answer it.
"What is this article about?" (or "tl;dr", "summarize", "key takeaways") gets an overview:
the three key points of the whole corpus, quoted and cited.

Options:
  --json      print one JSON object: {"question", "kind", "abstained", "answer", "citations": [...]},
              kind being "answer", "overview" (for "what is this article about?") or "abstained";
              with no question argument, read one question per line from standard input
              and print one JSON object per line (JSON Lines)
  -h, --help  show this help
`;

const { values, positionals, config } = startScript(USAGE, { json: { type: "boolean" } });
const request = checkArguments(() => askArguments(values, positionals));
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });

let services: Services;
try {
  ({ services } = await compose({
    paths: config,
    embeddings: config.embeddings,
    llm: config.llm,
    logger,
    index: "open-or-build",
  }));
} catch (error) {
  fail(errorMessage(error), 1);
}

if (request.stream) await runJsonLines(services, process.stdin, process.stdout);
else {
  try {
    const answer = await ask(services, request.question);
    process.stdout.write(request.json ? `${JSON.stringify(answerJson(answer))}\n` : `${formatAnswer(answer)}\n`);
  } catch (error) {
    fail(errorMessage(error), error instanceof UserError ? 2 : 1);
  }
}
