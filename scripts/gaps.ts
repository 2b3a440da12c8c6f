import { GAPS_LIMITS, gaps } from "../src/commands/feedback.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { openStateStore } from "../src/store/open-state-store.js";
import type { StateStore } from "../src/store/types.js";
import { formatGaps, gapsJson } from "../src/terminal/format-gaps.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { UsageError, wholeNumberFlag } from "./lib/command-line.js";

const { days, limit } = GAPS_LIMITS;
const USAGE = `
Usage: npm run gaps -- [--days N] [--limit N] [--json | --csv]

What the corpus is missing, from the answer log (PASSAGE_DATA_DIR/feedback.sqlite): the
questions Passage could not answer and the answers voted down in Discord, near-duplicate
questions merged and counted, most frequent first, each with one example wording and, for
voted-down answers, the passage it cited and the "what was wrong?" comments. The same as
/gaps in Discord.

Options:
  --days N    the period, in days back from now (${days.min}–${days.max}, default ${days.default})
  --limit N   how many groups to show (${limit.min}–${limit.max}, default ${limit.default})
  --json      print {"days", "since", "rows", "total", "groups": [{"question", "count",
              "abstained", "votedDown", "wordings", "passageId", "passage", "comments",
              "lastAt", "answerIds"}]}
  --csv       print every group as CSV (count, abstained, voted_down, question,
              other_wordings, passage, comments, last_asked), as /gaps attaches it
  -h, --help  show this help
`;

const { values, config } = startScript(
  USAGE,
  { days: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" }, csv: { type: "boolean" } },
  false,
);
const request = checkArguments(() => {
  if (values.json === true && values.csv === true) throw new UsageError("Give --json or --csv, not both (see --help)");
  return {
    days: wholeNumberFlag("days", values.days, days.min, days.max) ?? days.default,
    limit: wholeNumberFlag("limit", values.limit, limit.min, limit.max) ?? limit.default,
  };
});
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });

let services: Services;
let store: StateStore;
try {
  ({ services, store } = await compose({
    // PostgreSQL when DATABASE_URL is set (what the replicas share), else the SQLite files.
    store: await openStateStore(config, logger),
    paths: config,
    embeddings: config.embeddings,
    logger,
    index: "open-or-build",
    feedback: { retentionDays: config.feedbackRetentionDays },
  }));
} catch (error) {
  fail(errorMessage(error), 1);
}

try {
  const report = await gaps(services, request);
  if (values.json === true) process.stdout.write(`${JSON.stringify(gapsJson(report))}\n`);
  else if (values.csv === true) process.stdout.write(report.csv);
  else process.stdout.write(`${formatGaps(report)}\n`);
} catch (error) {
  fail(errorMessage(error), error instanceof UserError ? 2 : 1);
} finally {
  await store.close();
}
