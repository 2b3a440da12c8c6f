import { performance } from "node:perf_hooks";
import type { Answer } from "../src/answer/answer.js";
import { ask } from "../src/commands/ask.js";
import { describeBuild } from "../src/commands/reindex.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { openStateStore } from "../src/store/open-state-store.js";
import type { StateStore } from "../src/store/types.js";
import { answerJson } from "../src/terminal/json.js";
import { runJsonLines } from "../src/terminal/json-lines.js";
import { localUserId, logLocalAnswer } from "../src/terminal/log-answer.js";
import { progressBar } from "../src/terminal/progress.js";
import { askAndPrint } from "../src/terminal/stream-answer.js";
import { answerLogSettings, checkArguments, fail, startScript } from "./cli.js";
import { askArguments } from "./lib/ask-arguments.js";

const USAGE = `
Usage: npm run ask -- [--json] [--no-log] "question"
       npm run --silent ask -- --json [--no-log] < questions.txt

Answers a question from the index (building it first if there is none), quoting the
articles and citing every passage it draws on, or says the articles don't answer it.
"What is this article about?" (or "tl;dr", "summarize", "key takeaways") gets an overview:
the three key points of the whole corpus, quoted and cited. With a model configured
(LLM_BASE_URL or LLM_PROVIDER, see README "Using a model") the answer is written by the
model, shown sentence by sentence as each is checked against the passage it cites.

Options:
  --json      print one JSON object: {"question", "kind", "abstained", "answer", "citations": [...],
              "mode", "model", "removed"}, kind being "answer", "overview" (for "what is this
              article about?") or "abstained"; mode "quoted" or "generated" (by the model in
              LLM_BASE_URL / LLM_PROVIDER, which is then named in "model"), removed being the
              generated sentences that verification dropped, and "modelUnavailable" saying why
              a configured model was not used;
              with no question argument, read one question per line from standard input
              and print one JSON object per line (JSON Lines)
  --no-log    do not record the answers in the answer log (PASSAGE_DATA_DIR/feedback.sqlite,
              kept FEEDBACK_RETENTION_DAYS; see docs/feedback.md)
  -h, --help  show this help
`;

const { values, positionals, config } = startScript(USAGE, {
  json: { type: "boolean" },
  "no-log": { type: "boolean" },
});
const request = checkArguments(() => askArguments(values, positionals));
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });

let services: Services;
let store: StateStore | null = null;
const bar = progressBar(process.stderr);
try {
  const composed = await compose({
    // PostgreSQL when DATABASE_URL is set (what the replicas share), else the SQLite files.
    store: await openStateStore(config, logger),
    paths: config,
    embeddings: config.embeddings,
    llm: config.llm,
    logger,
    index: "open-or-build",
    onProgress: bar.update,
    feedback: answerLogSettings(config, values["no-log"]),
  });
  bar.done();
  services = composed.services;
  store = composed.store;
  // A build (a missing index, or another embedder configured) is said on stderr: stdout stays the answer.
  if (composed.built) process.stderr.write(`${describeBuild(composed.built)}\n`);
} catch (error) {
  bar.done();
  fail(errorMessage(error), 1);
}

const asker = { source: "cli" as const, userId: localUserId() };
if (request.stream) await runJsonLines(services, process.stdin, process.stdout, asker);
else {
  try {
    const startedAt = performance.now();
    let answer: Answer;
    if (request.json) {
      answer = await ask(services, request.question);
      process.stdout.write(`${JSON.stringify(answerJson(answer))}\n`);
    } else answer = await askAndPrint(services, request.question, (text) => process.stdout.write(text));
    await logLocalAnswer(services, answer, asker, request.question, startedAt);
  } catch (error) {
    await store?.close();
    fail(errorMessage(error), error instanceof UserError ? 2 : 1);
  }
}
await store?.close();
