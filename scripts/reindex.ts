import { describeBuild } from "../src/commands/reindex.js";
import { compose } from "../src/compose.js";
import { errorMessage } from "../src/errors.js";
import { silentLogger } from "../src/log.js";
import { reindexJson } from "../src/terminal/json.js";
import { progressBar } from "../src/terminal/progress.js";
import { fail, startScript } from "./cli.js";

const USAGE = `
Usage: npm run reindex [-- --json]

Builds the index from the articles in the corpus folder (PASSAGE_CORPUS_DIR, default corpus/)
into PASSAGE_INDEX_DIR (default data/index), then swaps it in. The index in use is replaced
only when the new one is complete and verified: a failed build changes nothing.

Options:
  --json      print the summary as one JSON object
  -h, --help  show this help
`;

const { values, config } = startScript(USAGE, { json: { type: "boolean" } }, false);
const bar = progressBar(process.stderr);
try {
  const { services } = await compose({ paths: config, logger: silentLogger, index: "none" });
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
