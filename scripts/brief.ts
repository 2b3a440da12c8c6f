import { writeFile } from "node:fs/promises";
import { BRIEFING_POINTS } from "../src/briefing/briefer.js";
import { briefingJson } from "../src/briefing/briefing-json.js";
import { briefingFileName, briefingMarkdown } from "../src/briefing/markdown-document.js";
import { brief } from "../src/commands/brief.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { formatBriefing } from "../src/terminal/format-briefing.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { briefArguments } from "./lib/brief-arguments.js";

const USAGE = `
Usage: npm run brief -- [topic] [--points N] [--out FILE.md] [--json]

Briefs you on a topic from the index (building it first if there is none): ${BRIEFING_POINTS.min} to ${BRIEFING_POINTS.max}
key points, each quoted verbatim from an article and cited, chosen so no two say the same
thing, grouped under headings. Without a topic, the briefing covers the whole corpus. A topic
the corpus does not cover is said to be so, with the nearest passages.

Options:
  --points N    how many points (${BRIEFING_POINTS.min}–${BRIEFING_POINTS.max}, default ${BRIEFING_POINTS.default}); fewer when the corpus has no more
  --out FILE    also write the briefing as a Markdown document (title, date, corpus
                version, points with their whole passages and sources)
  --json        print exactly {"topic", "covered", "points": [{"heading", "text",
                "citations": [{"n", "id", "source", "title", "location", "text"}]}]}
  -h, --help    show this help

Examples:
  npm run brief
  npm run brief -- Taiwan --points 4
  npm run --silent brief -- "the fentanyl angle" --json
  npm run brief -- chips --out chips-briefing.md
`;

const { values, positionals, config } = startScript(USAGE, {
  points: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
});
const request = checkArguments(() => briefArguments(values, positionals));
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });

let services: Services;
try {
  ({ services } = await compose({ paths: config, embeddings: config.embeddings, logger, index: "open-or-build" }));
} catch (error) {
  fail(errorMessage(error), 1);
}

const now = new Date();
try {
  const briefing = await brief(services, { topic: request.topic, points: request.points });
  if (request.out !== null) {
    await writeFile(request.out, briefingMarkdown(briefing, now));
    process.stderr.write(
      `Wrote the briefing to ${request.out} (suggested name: ${briefingFileName(briefing, now)}).\n`,
    );
  }
  process.stdout.write(request.json ? `${JSON.stringify(briefingJson(briefing))}\n` : `${formatBriefing(briefing)}\n`);
} catch (error) {
  fail(errorMessage(error), error instanceof UserError ? 2 : 1);
}
