import { describeBuild } from "../src/commands/reindex.js";
import { compose } from "../src/compose.js";
import { errorMessage } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { reindexJson } from "../src/terminal/json.js";
import { progressBar } from "../src/terminal/progress.js";
import { fail, startScript } from "./cli.js";

const USAGE = `
Usage: npm run reindex [-- --json]

Builds the index from the articles in the corpus folder (PASSAGE_CORPUS_DIR, default corpus/)
into PASSAGE_INDEX_DIR (default data/index), then swaps it in. The index in use is replaced
only when the new one is complete and verified: a failed build changes nothing.

With a remote embedder (EMBEDDINGS_PROVIDER=openai or ollama), only passages whose text was
never embedded are sent, in batches; vectors are kept in PASSAGE_DATA_DIR/embeddings, so an
interrupted reindex resumes where it stopped. A 429 is retried after its Retry-After.

Options:
  --json      print the summary as one JSON object
  -h, --help  show this help
`;

const { values, config } = startScript(USAGE, { json: { type: "boolean" } }, false);
const bar = progressBar(process.stderr);
try {
  // Warnings only (a rate limit being waited out): the summary is the output.
  const logger = createLogger({ level: "warn", secrets: config.secrets });
  const { services } = await compose({ paths: config, embeddings: config.embeddings, logger, index: "none" });
  const result = await services.indexes.rebuild(bar.update);
  bar.done();
  process.stdout.write(
    values.json
      ? `${JSON.stringify(reindexJson(result, config.indexDir))}\n`
      : `${describeBuild(result)}\nIndex: ${config.indexDir}\n`,
  );
} catch (error) {
  bar.done();
  fail(`Reindex failed: ${errorMessage(error)}`, 1);
}
