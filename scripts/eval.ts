import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { compareSystems } from "./lib/eval/compare.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";
import { evalTable, styleTable } from "./lib/eval/table.js";

const USAGE = `
Usage: npm run eval -- [--set FILE] [--by-style] [--json]

Measures answer quality on an evaluation set (default test/eval/questions.json) for Passage
as shipped and for baselines run in the same process: two naive bots that quote the best
sentence of the first passage BM25 alone (by shared words) or dense search alone (by embedding)
finds, never abstaining, and Passage with exact brute-force search instead of HNSW. The index
is built fresh from the corpus folder (the set's own "corpus" if it names one) into a temporary
folder; your data/ is not touched.

Per system: retrieval recall@1/3/5 and MRR (a passage is relevant when it contains the gold
span), answer hit rate (the gold span is in the answer text), false abstentions on answerable
questions, abstentions on unanswerable ones, citation precision, and latency per question.
Abstention on unanswerable questions is given overall and split in two: near misses (entries
with "nearMiss": true: on-topic, naming something in the article, asking what it does not say)
and off-topic (every other unanswerable entry, including those without the flag).

Options:
  --set FILE  the evaluation set (JSON: {"answerable": [...], "unanswerable": [...]}, and
              optionally "corpus": the folder its articles are in, relative to the repository
              root, e.g. test/eval/wiki-questions.json names test/fixtures/wiki/corpus)
  --by-style  also print answer hit and false abstentions per phrasing style ("style" of each
              answerable entry); --json always carries them, under "byStyle"
  --json      print one JSON object instead of the tables
  -h, --help  show this help
`;

const DEFAULT_SET = "test/eval/questions.json";
const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: DEFAULT_SET }, "by-style": { type: "boolean" }, json: { type: "boolean" } },
  false,
);

try {
  const setName = values.set ?? DEFAULT_SET;
  const set = await loadEvalSet(setName);
  const report = await withTemporaryIndex(set.corpus ?? config.corpusDir, (services) =>
    compareSystems(services, set, setName),
  );
  const tables = values["by-style"] ? [evalTable(report), styleTable(report)] : [evalTable(report)];
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${tables.join("\n\n")}\n`);
} catch (error) {
  fail(`Evaluation failed: ${errorMessage(error)}`, 1);
}
