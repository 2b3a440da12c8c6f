import { Answerer } from "../src/answer/answerer.js";
import { errorMessage } from "../src/errors.js";
import { ExactSearch } from "../src/index/exact-search.js";
import { fail, markdownTable, startScript, withTemporaryIndex } from "./cli.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";
import { evaluate, type System, type SystemScores } from "./lib/eval/evaluate.js";

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

const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: "test/eval/questions.json" }, json: { type: "boolean" } },
  false,
);

try {
  const set = await loadEvalSet(values.set ?? "test/eval/questions.json");
  await withTemporaryIndex(config.corpusDir, async ({ indexes, embedder, concepts }) => {
    const index = indexes.current;
    const exact = new ExactSearch(
      await embedder.embedDocuments(index.passages.map((p) => p.pageContent)),
      embedder.dimension,
    );
    const systems: System[] = [
      { name: "passage", answerer: new Answerer(index, embedder, concepts) },
      { name: "bm25", answerer: new Answerer(index, embedder, concepts, { retrieval: { mode: "lexical" } }) },
      { name: "dense", answerer: new Answerer(index, embedder, concepts, { retrieval: { mode: "dense" } }) },
      { name: "exact", answerer: new Answerer(index, embedder, concepts, { denseSearch: exact }) },
    ];
    const scores: SystemScores[] = [];
    for (const s of systems) scores.push(await evaluate(s, set));
    const meta = {
      set: values.set,
      answerable: set.answerable.length,
      unanswerable: set.unanswerable.length,
      passages: index.manifest.passageCount,
      embedder: embedder.id,
    };
    if (values.json) process.stdout.write(`${JSON.stringify({ ...meta, systems: scores })}\n`);
    else process.stdout.write(`${formatTable(meta, scores)}\n`);
  });
} catch (error) {
  fail(`Evaluation failed: ${errorMessage(error)}`, 1);
}

function formatTable(
  meta: { set: string | undefined; answerable: number; unanswerable: number; passages: number },
  scores: readonly SystemScores[],
): string {
  const f = (x: number) => x.toFixed(3);
  const header = [
    "system",
    "R@1",
    "R@3",
    "R@5",
    "MRR",
    "answer hit",
    "false abst.",
    "abst. unans.",
    "cite prec.",
    "p50 ms",
    "p95 ms",
  ];
  const rows = scores.map((s) => [
    s.system,
    f(s.recallAt1),
    f(s.recallAt3),
    f(s.recallAt5),
    f(s.mrr),
    f(s.answerHitRate),
    f(s.falseAbstentionRate),
    f(s.abstentionRate),
    f(s.citationPrecision),
    s.latencyMs.p50.toFixed(2),
    s.latencyMs.p95.toFixed(2),
  ]);
  return [
    `${meta.set}: ${meta.answerable} answerable, ${meta.unanswerable} unanswerable questions; ${meta.passages} passages`,
    "",
    markdownTable(header, rows, 1),
  ].join("\n");
}
