import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { compareSystems } from "./lib/eval/compare.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";
import { evalTable } from "./lib/eval/table.js";

const USAGE = `
Usage: npm run eval -- [--set FILE] [--json]

Measures answer quality on an evaluation set (default test/eval/questions.json) for Passage
as shipped and for baselines run in the same process: BM25 alone, dense alone (the local
embedder through HNSW), and hybrid with exact brute-force search instead of HNSW. The index
is built fresh from the corpus folder into a temporary folder; your data/ is not touched.

Per system: retrieval recall@1/3/5 and MRR (a passage is relevant when it contains the gold
span), answer hit rate (the gold span is in the answer text), false abstentions on answerable
questions, abstentions on unanswerable ones, citation precision, and latency per question.

Options:
  --set FILE  the evaluation set (JSON: {"answerable": [...], "unanswerable": [...]})
  --json      print one JSON object instead of the table
  -h, --help  show this help
`;

const DEFAULT_SET = "test/eval/questions.json";
const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: DEFAULT_SET }, json: { type: "boolean" } },
  false,
);

try {
  const setName = values.set ?? DEFAULT_SET;
  const set = await loadEvalSet(setName);
  const report = await withTemporaryIndex(config.corpusDir, (services) => compareSystems(services, set, setName));
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${evalTable(report)}\n`);
} catch (error) {
  fail(`Evaluation failed: ${errorMessage(error)}`, 1);
}
