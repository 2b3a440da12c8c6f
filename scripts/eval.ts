import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { compareSystems } from "./lib/eval/compare.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";
import { evalTable, generationTable, styleTable } from "./lib/eval/table.js";

const USAGE = `
Usage: npm run eval -- [--set FILE] [--mode quoted|generated] [--by-style] [--json]

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

With --mode generated, Passage quoting is compared with Passage answering through the model
configured in the environment (LLM_BASE_URL, LLM_PROVIDER, LLM_MODEL: README, "Using a model"),
and a second table gives the sentences the model wrote that verification kept and removed,
and the answers quoted instead because the model was unavailable. Answer hit still asks for
the gold span verbatim, which a model's own wording may paraphrase.

Options:
  --mode M    quoted (the default: Passage and its offline baselines) or generated
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
  {
    set: { type: "string", default: DEFAULT_SET },
    mode: { type: "string", default: "quoted" },
    "by-style": { type: "boolean" },
    json: { type: "boolean" },
  },
  false,
);

const mode = values.mode ?? "quoted";
if (mode !== "quoted" && mode !== "generated") fail(`--mode must be quoted or generated (got "${mode}").`);
if (mode === "generated" && !config.llm)
  fail("--mode generated needs a model: set LLM_BASE_URL or LLM_PROVIDER (see README, Using a model).");

try {
  const setName = values.set ?? DEFAULT_SET;
  const set = await loadEvalSet(setName);
  const report = await withTemporaryIndex(
    set.corpus ?? config.corpusDir,
    (services) => compareSystems(services, set, setName, mode),
    { llm: config.llm, embeddings: config.embeddings, dataDir: config.dataDir },
  );
  const generation = generationTable(report);
  const tables = [
    evalTable(report),
    ...(values["by-style"] ? [styleTable(report)] : []),
    ...(generation ? [generation] : []),
  ];
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${tables.join("\n\n")}\n`);
} catch (error) {
  fail(`Evaluation failed: ${errorMessage(error)}`, 1);
}
